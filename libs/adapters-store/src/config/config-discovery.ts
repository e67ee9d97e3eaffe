import { dirname, isAbsolute, join, resolve } from "node:path"
import { ConfigNotFound } from "@ao/domain"
import { Effect } from "effect"
import { exists } from "../disk"
import type { AoEnvironment } from "../environment"

export const CONFIG_FILE_NAME = "agent-orchestrator.yaml"

/** `$XDG_CONFIG_HOME/ao/agent-orchestrator.yaml`, else `~/.config/ao/…` (a relative XDG path is ignored, per the spec). */
export const globalConfigPath = (environment: AoEnvironment): string => {
  const xdg = environment.env["XDG_CONFIG_HOME"]
  const configHome = xdg !== undefined && isAbsolute(xdg) ? xdg : join(environment.homeDir, ".config")
  return join(configHome, "ao", CONFIG_FILE_NAME)
}

/** The places a config is looked for, in order: $AO_CONFIG_PATH alone when set, else the current directory and its parents, then the global config. */
export const configCandidates = (environment: AoEnvironment): ReadonlyArray<string> => {
  const explicit = environment.env["AO_CONFIG_PATH"]
  if (explicit !== undefined && explicit.length > 0) return [resolve(environment.cwd, explicit)]
  const candidates: Array<string> = []
  for (let dir = resolve(environment.cwd); ; dir = dirname(dir)) {
    candidates.push(join(dir, CONFIG_FILE_NAME))
    if (dirname(dir) === dir) break
  }
  return [...candidates, globalConfigPath(environment)]
}

/** The first candidate that exists; ConfigNotFound listing every place searched otherwise. */
export const findConfigFile = Effect.fn("Config.find")(function* (environment: AoEnvironment) {
  const candidates = configCandidates(environment)
  for (const candidate of candidates) {
    // A candidate that cannot even be checked (permissions) is read next, where that failure is reported.
    const found = yield* exists(candidate).pipe(Effect.catchTag("DiskError", () => Effect.succeed(true)))
    if (found) return candidate
  }
  return yield* new ConfigNotFound({ searched: candidates })
})
