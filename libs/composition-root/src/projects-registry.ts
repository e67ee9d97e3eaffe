import {
  type AoConfigValue,
  CONFIG_FILE_NAME,
  derivePrefix,
  globalConfigPath,
  isTrusted,
  loadConfig,
  projectIdFromDirectory,
  registerProject,
  resolveDataDir
} from "@ao/adapters-store"
import { InvalidInput, ProjectId } from "@ao/domain"
import { Effect, Option, Schema } from "effect"
import { basename, join, resolve } from "node:path"
import { repositoryWithCommits } from "./init-config"
import type { Whereabouts } from "./whereabouts"

export interface ProjectListing {
  readonly id: string
  readonly name: string
  readonly path: string
  readonly sessionPrefix: string
  readonly defaultBranch: string
  /** The file that defines it. */
  readonly config: string
  /** Whether ao runs its agent commands now: the file is the user's own, or trusted with its current content. */
  readonly trusted: boolean
}

/** The combined config, or none at all when there is no config anywhere yet. */
const configOrNothing = (where: Whereabouts) =>
  loadConfig(where).pipe(
    Effect.map(Option.some),
    Effect.catchTag("ConfigNotFound", () => Effect.succeed(Option.none<AoConfigValue>()))
  )

/** `ao project ls`: every project the configs in play define, where each comes from, and whether its commands may run. */
export const listProjects = Effect.fn("Projects.listAll")(function* (where: Whereabouts) {
  const config = yield* configOrNothing(where)
  if (Option.isNone(config)) return []
  const dataDir = resolveDataDir(where.env, where.homeDir, where.cwd)
  return yield* Effect.forEach(config.value.projects, (project) =>
    Effect.gen(function* () {
      const source = config.value.sourceOf(project.id)
      const trusted = source === undefined || source.own || (yield* isTrusted(dataDir, source))
      return {
        id: project.id,
        name: project.name,
        path: project.path,
        sessionPrefix: project.sessionPrefix,
        defaultBranch: project.defaultBranch,
        config: source?.path ?? config.value.source,
        trusted
      } satisfies ProjectListing
    })
  )
})

/** The id itself when it makes a valid prefix (so `ls` headers and session names agree), else its initials, else numbered. */
const freePrefix = (id: string, taken: ReadonlySet<string>): string => {
  const whole = id.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 24)
  const candidates = [whole, derivePrefix(id)].filter((prefix) => /^[a-z0-9][a-z0-9-]*$/.test(prefix))
  const free = candidates.find((prefix) => !taken.has(prefix))
  if (free !== undefined) return free
  const base = candidates[0] ?? "ao"
  for (let n = 2; ; n++) if (!taken.has(`${base.slice(0, 20)}${n}`)) return `${base.slice(0, 20)}${n}`
}

export interface AddProjectOptions extends Whereabouts {
  /** The repository (or a directory in it); the current directory when absent. */
  readonly path: string | undefined
  readonly id: string | undefined
}

/**
 * `ao project add`: registers the git repository at `path` in the user's
 * global config, so every command knows it from any directory. The id is
 * `--id`, else the one the repository's own config gives it, else its
 * directory name; the session prefix is one no other project uses.
 */
export const addProject = Effect.fn("Projects.add")(function* (options: AddProjectOptions) {
  const repository = yield* repositoryWithCommits(resolve(options.cwd, options.path ?? "."))
  const config = yield* configOrNothing({ ...options, cwd: repository.root })
  const known = Option.match(config, { onNone: () => [], onSome: (loaded) => loaded.projects })
  const registry = globalConfigPath(options)
  const registered = known.find(
    (project) =>
      project.path === repository.root && Option.exists(config, (loaded) => loaded.sourceOf(project.id)?.path === registry)
  )
  if (registered !== undefined) {
    return yield* new InvalidInput({
      field: "path",
      input: repository.root,
      reason: `it is already registered as project ${registered.id} in ${registry}`
    })
  }
  const ownConfig = join(repository.root, CONFIG_FILE_NAME)
  const fromOwnConfig = known.find(
    (project) =>
      project.path === repository.root && Option.exists(config, (loaded) => loaded.sourceOf(project.id)?.path === ownConfig)
  )
  const id = options.id ?? fromOwnConfig?.id ?? projectIdFromDirectory(basename(repository.root))
  if (!Schema.is(ProjectId)(id)) {
    return yield* new InvalidInput({
      field: "id",
      input: id,
      reason: "a project id is letters, digits, '.', '_' and '-', starting with a letter or digit (at most 64)"
    })
  }
  const other = known.find((project) => project.id === id && project.path !== repository.root)
  if (other !== undefined) {
    return yield* new InvalidInput({ field: "id", input: id, reason: `project ${id} is already ${other.path}; pick another with --id` })
  }
  const sessionPrefix =
    fromOwnConfig?.id === id
      ? fromOwnConfig.sessionPrefix
      : freePrefix(id, new Set(known.filter((project) => project.id !== id).map((project) => project.sessionPrefix)))
  const written = yield* registerProject(options, {
    id,
    path: repository.root,
    defaultBranch: repository.defaultBranch,
    sessionPrefix,
    repo: repository.githubRepo
  })
  return {
    id,
    path: repository.root,
    sessionPrefix,
    defaultBranch: repository.defaultBranch,
    registry: written.path,
    /** The repository's own config, which defines the project instead of the registry entry. */
    ownConfig: fromOwnConfig === undefined ? Option.none<string>() : Option.some(ownConfig)
  }
})
