import {
  CONFIG_FILE_NAME,
  firstExisting,
  localConfigCandidates,
  readConfigFile,
  recordTrust,
  resolveDataDir
} from "@ao/adapters-store"
import { ConfigNotFound, knownAgents } from "@ao/domain"
import { Effect, Option } from "effect"
import { statSync } from "node:fs"
import { join, resolve } from "node:path"
import type { Whereabouts } from "./whereabouts"

export interface TrustOptions extends Whereabouts {
  /** The config file, or a directory holding one; the nearest agent-orchestrator.yaml when absent. */
  readonly path: string | undefined
}

/** A command a trusted config may run, as `ao trust` shows it. */
export interface TrustedCommand {
  readonly project: string
  readonly agent: string
  readonly launch: ReadonlyArray<string>
  readonly resume: ReadonlyArray<string>
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

const configPathFor = Effect.fn("Trust.configPath")(function* (options: TrustOptions) {
  if (options.path !== undefined) {
    const target = resolve(options.cwd, options.path)
    return isDirectory(target) ? join(target, CONFIG_FILE_NAME) : target
  }
  const candidates = yield* localConfigCandidates(options)
  const found = yield* firstExisting(candidates)
  if (Option.isSome(found)) return found.value
  return yield* new ConfigNotFound({ searched: candidates })
})

/**
 * `ao trust`: reads and decodes the config (an invalid file is refused), and
 * remembers its path with the SHA-256 of exactly the bytes decoded, so the
 * agents it defines may run until the file changes. Returns the commands
 * the file lets ao run: every agent each of its projects may start.
 */
export const trustConfig = Effect.fn("Trust.config")(function* (options: TrustOptions) {
  const path = yield* configPathFor(options)
  const { config, source } = yield* readConfigFile(options, path)
  yield* recordTrust(resolveDataDir(options.env, options.homeDir, options.cwd), source)
  const commands: Array<TrustedCommand> = config.projects.flatMap((project) =>
    knownAgents(project).map((agent) => ({ project: project.id, agent: agent.name, launch: agent.launch, resume: agent.resume }))
  )
  return { path, sha256: source.sha256, own: source.own, commands }
})
