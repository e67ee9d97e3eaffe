import {
  derivePrefix,
  PRESET_NAMES,
  type PresetName,
  projectIdFromDirectory,
  renderInitialConfig,
  writeInitialConfig
} from "@ao/adapters-store"
import { detectRepository } from "@ao/adapters-git"
import { InvalidInput } from "@ao/domain"
import { Effect, Option } from "effect"
import { basename, join } from "node:path"

export interface InitOptions {
  readonly cwd: string
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
 * `ao init`: agent-orchestrator.yaml at the top of the git repository that
 * holds `cwd`, for that repository (project id from its directory name,
 * default branch and GitHub repository detected). Never overwrites an existing file.
 */
export const initConfig = Effect.fn("Init.config")(function* (options: InitOptions) {
  const agent = options.agent ?? "claude"
  if (!isPreset(agent)) {
    return yield* new InvalidInput({ field: "agent", input: agent, reason: `ao init knows the presets ${PRESET_NAMES.join(", ")}` })
  }
  const repository = yield* detectRepository(options.cwd)
  const directoryName = basename(repository.root)
  const path = join(repository.root, "agent-orchestrator.yaml")
  const repo = Option.match(repository.githubRepo, { onNone: () => ({}), onSome: (slug) => ({ repo: slug }) })
  yield* writeInitialConfig(path, renderInitialConfig({ directoryName, defaultBranch: repository.defaultBranch, agent, ...repo }))
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
