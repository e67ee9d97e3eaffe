import { createHash } from "node:crypto"
import { join } from "node:path"
import { ConfigInvalid, ConfigNotFound, type Project, Projects, projectsFromList } from "@ao/domain"
import { Context, Effect, Layer, Option } from "effect"
import { readText } from "../disk"
import { type AoEnvironment, processEnvironment } from "../environment"
import { decodeConfig, type LoadedConfig } from "./config-decoding"
import type { ContainerConfig } from "./container-config"
import {
  CONFIG_FILE_NAME,
  configCandidates,
  explicitConfigPath,
  firstExisting,
  globalConfigPath,
  isOwnConfig,
  localConfigCandidates
} from "./config-discovery"

/** A config file as it was read: its path, the SHA-256 of the bytes decoded, and whether it is the user's own. */
export interface ConfigSource {
  readonly path: string
  readonly sha256: string
  /** The global config or the one $AO_CONFIG_PATH names: its commands run without `ao trust`. */
  readonly own: boolean
}

/**
 * Every config in play, combined: the projects of all of them (a repository's
 * own config overriding the registry's entry for the same id), and the
 * settings beyond projects (`github`, `port`) from the nearest file.
 */
export interface AoConfigValue extends LoadedConfig {
  /** Every file read, the registry (global config) first. */
  readonly sources: ReadonlyArray<ConfigSource>
  /** The file a project is defined in, for `ao trust` and `ao project ls`. */
  readonly sourceOf: (projectId: string) => ConfigSource | undefined
}

/** The whole combined config, for settings beyond projects (the GitHub API URL, the HTTP port) and where each project comes from. */
export class AoConfig extends Context.Tag("@ao/adapters-store/AoConfig")<AoConfig, AoConfigValue>() {}

export const sha256Of = (text: string): string => createHash("sha256").update(text).digest("hex")

/** Reads and decodes one config file. */
export const readConfigFile = Effect.fn("Config.readFile")(function* (environment: AoEnvironment, path: string) {
  const text = yield* readText(path).pipe(
    Effect.catchTag("DiskError", (error) => new ConfigInvalid({ path, problem: `cannot be read: ${error.detail}` }))
  )
  const config = yield* decodeConfig({ path, text, homeDir: environment.homeDir })
  return { config, source: { path, sha256: sha256Of(text), own: isOwnConfig(environment, path) } satisfies ConfigSource }
})

const prefixClash = (decoded: ReadonlyArray<{ readonly project: Project; readonly source: ConfigSource }>) => {
  const owners = new Map<string, { readonly project: Project; readonly source: ConfigSource }>()
  for (const entry of decoded) {
    const owner = owners.get(entry.project.sessionPrefix)
    if (owner !== undefined) {
      return new ConfigInvalid({
        path: entry.source.path,
        problem: `session prefix ${JSON.stringify(entry.project.sessionPrefix)} of project ${entry.project.id} is already used by project ${owner.project.id} (${owner.source.path}); give each project its own sessionPrefix`
      })
    }
    owners.set(entry.project.sessionPrefix, entry)
  }
  return undefined
}

/**
 * Finds, reads, decodes and combines the configs in play:
 * - `$AO_CONFIG_PATH`, when set, alone;
 * - else the global config (`$XDG_CONFIG_HOME/ao/agent-orchestrator.yaml`), the
 *   registry of projects `ao project add` writes to, then the own
 *   agent-orchestrator.yaml of each registered repository, then the nearest
 *   agent-orchestrator.yaml walking up from the current directory (inside a
 *   session's worktree: from its main working tree). Later files override a
 *   project id defined earlier.
 * ConfigNotFound when there is none at all.
 */
export const loadConfig = Effect.fn("Config.load")(function* (environment: AoEnvironment) {
  const explicit = explicitConfigPath(environment)
  const globalPath = globalConfigPath(environment)
  const local = explicit !== undefined ? Option.none<string>() : yield* firstExisting(yield* localConfigCandidates(environment))
  const global = yield* firstExisting([explicit ?? globalPath])
  if (Option.isNone(local) && Option.isNone(global)) return yield* new ConfigNotFound({ searched: yield* configCandidates(environment) })

  const files: Array<{ readonly config: LoadedConfig; readonly source: ConfigSource }> = []
  if (Option.isSome(global)) files.push(yield* readConfigFile(environment, global.value))
  const localPath = Option.getOrUndefined(local)
  const registered = files[0]?.config.projects.map((project) => join(project.path, CONFIG_FILE_NAME)) ?? []
  for (const path of (yield* Effect.forEach([...new Set(registered)], (candidate) => firstExisting([candidate]))).flatMap(
    Option.toArray
  )) {
    if (path !== localPath && path !== files[0]?.source.path) files.push(yield* readConfigFile(environment, path))
  }
  if (localPath !== undefined) files.push(yield* readConfigFile(environment, localPath))

  const byId = new Map<string, { readonly project: Project; readonly source: ConfigSource; readonly container?: ContainerConfig }>()
  for (const file of files) {
    for (const project of file.config.projects) {
      const container = file.config.containers?.[project.id]
      byId.set(project.id, { project, source: file.source, ...(container === undefined ? {} : { container }) })
    }
  }
  const clash = prefixClash([...byId.values()])
  if (clash !== undefined) return yield* clash
  // Settings beyond projects: the repository's own file when there is one, else the registry's.
  const primary = localPath !== undefined ? files[files.length - 1] : files[0]
  if (primary === undefined) return yield* new ConfigNotFound({ searched: yield* configCandidates(environment) })
  return {
    ...primary.config,
    projects: [...byId.values()].map((entry) => entry.project),
    // Each project's containers come from the file that defines the project.
    containers: Object.fromEntries([...byId.entries()].flatMap(([id, entry]) => (entry.container === undefined ? [] : [[id, entry.container]]))),
    sources: files.map((file) => file.source),
    sourceOf: (projectId: string) => byId.get(projectId)?.source
  } satisfies AoConfigValue
})

/** Projects and AoConfig from the config files; building it fails with ConfigNotFound or ConfigInvalid. */
export const makeConfigLayer = (environment: AoEnvironment) =>
  Layer.effectContext(
    Effect.map(loadConfig(environment), (config) =>
      Context.make(AoConfig, config).pipe(Context.add(Projects, projectsFromList(config.projects, config.source)))
    )
  )

/** The config layer for this process's working directory, environment and home. */
export const ConfigLive = Layer.suspend(() => makeConfigLayer(processEnvironment()))
