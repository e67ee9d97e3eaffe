import { ConfigInvalid, Projects, projectsFromList } from "@ao/domain"
import { Context, Effect, Layer } from "effect"
import { readText } from "../disk"
import { type AoEnvironment, processEnvironment } from "../environment"
import { decodeConfig, type LoadedConfig } from "./config-decoding"
import { findConfigFile } from "./config-discovery"

/** The whole decoded config, for settings beyond projects (the GitHub API URL, the HTTP port). */
export class AoConfig extends Context.Tag("@ao/adapters-store/AoConfig")<AoConfig, LoadedConfig>() {}

/** Finds, reads and decodes agent-orchestrator.yaml. */
export const loadConfig = Effect.fn("Config.load")(function* (environment: AoEnvironment) {
  const path = yield* findConfigFile(environment)
  const text = yield* readText(path).pipe(
    Effect.catchTag("DiskError", (error) => new ConfigInvalid({ path, problem: `cannot be read: ${error.detail}` }))
  )
  return yield* decodeConfig({ path, text, homeDir: environment.homeDir })
})

/** Projects and AoConfig from the config file; building it fails with ConfigNotFound or ConfigInvalid. */
export const makeConfigLayer = (environment: AoEnvironment) =>
  Layer.effectContext(
    Effect.map(loadConfig(environment), (config) =>
      Context.make(AoConfig, config).pipe(Context.add(Projects, projectsFromList(config.projects, config.source)))
    )
  )

/** The config layer for this process's working directory, environment and home. */
export const ConfigLive = Layer.suspend(() => makeConfigLayer(processEnvironment()))
