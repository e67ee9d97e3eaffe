import {
  derivePrefix,
  PRESET_NAMES,
  type PresetName,
  projectIdFromDirectory,
  recordTrust,
  renderInitialConfig,
  resolveDataDir,
  sha256Of,
  writeInitialConfig
} from "@ao/adapters-store"
import { detectRepository } from "@ao/adapters-git"
import { InvalidInput } from "@ao/domain"
import { Effect, Option } from "effect"
import { basename, join } from "node:path"
import type { Whereabouts } from "./whereabouts"

export interface InitOptions extends Whereabouts {
  /** A preset name (claude, codex, aider); claude when absent. */
  readonly agent: string | undefined
}

export interface InitResult {
  readonly path: string
  readonly projectId: string
  readonly repoPath: string
  readonly defaultBranch: string
  /** `owner/name` when the repository's origin is on GitHub: the tracker is then github. */
  readonly githubRepo: Option.Option<string>
  readonly sessionPrefix: string
  readonly agent: PresetName
}

const isPreset = (name: string): name is PresetName => (PRESET_NAMES as ReadonlyArray<string>).includes(name)

/**
 * The git repository around `cwd`, refused while it has no commit: every
 * session branch starts from the default branch, which does not exist yet.
 */
export const repositoryWithCommits = Effect.fn("Init.repository")(function* (cwd: string) {
  const repository = yield* detectRepository(cwd)
  if (!repository.hasCommits) {
    return yield* new InvalidInput({
      field: "repository",
      input: repository.root,
      reason: `it has no commit yet, so sessions have no ${repository.defaultBranch} branch to start from; commit something first (git commit --allow-empty -m "Initial commit"), then run this again`
    })
  }
  return repository
})

/**
 * `ao init`: agent-orchestrator.yaml at the top of the git repository that
 * holds `cwd`, for that repository (project id from its directory name,
 * default branch and GitHub repository detected). Never overwrites an
 * existing file. The file written is trusted as written: its commands run
 * until someone changes it.
 */
export const initConfig = Effect.fn("Init.config")(function* (options: InitOptions) {
  const agent = options.agent ?? "claude"
  if (!isPreset(agent)) {
    return yield* new InvalidInput({ field: "agent", input: agent, reason: `ao init knows the presets ${PRESET_NAMES.join(", ")}` })
  }
  const repository = yield* repositoryWithCommits(options.cwd)
  const directoryName = basename(repository.root)
  const path = join(repository.root, "agent-orchestrator.yaml")
  const repo = Option.match(repository.githubRepo, { onNone: () => ({}), onSome: (slug) => ({ repo: slug }) })
  const content = renderInitialConfig({ directoryName, defaultBranch: repository.defaultBranch, agent, ...repo })
  yield* writeInitialConfig(path, content)
  yield* recordTrust(resolveDataDir(options.env, options.homeDir, options.cwd), { path, sha256: sha256Of(content) })
  const projectId = projectIdFromDirectory(directoryName)
  return {
    path,
    projectId,
    repoPath: repository.root,
    defaultBranch: repository.defaultBranch,
    githubRepo: repository.githubRepo,
    sessionPrefix: derivePrefix(projectId),
    agent
  } satisfies InitResult
})
