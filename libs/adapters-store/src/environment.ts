import { homedir } from "node:os"
import { isAbsolute, join, resolve } from "node:path"

/**
 * What the adapters read from the process, passed in so tests never depend
 * on the real HOME, working directory or environment.
 */
export interface AoEnvironment {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly homeDir: string
}

export const processEnvironment = (): AoEnvironment => ({ cwd: process.cwd(), env: process.env, homeDir: homedir() })

/** `~` and `~/x` point into the home directory; no other shell expansion happens. */
export const expandHome = (path: string, homeDir: string): string =>
  path === "~" ? homeDir : path.startsWith("~/") ? join(homeDir, path.slice(2)) : path

/** An absolute path: `~` expanded, a relative path taken from `baseDir`. */
export const absolutePath = (path: string, baseDir: string, homeDir: string): string => {
  const expanded = expandHome(path, homeDir)
  return isAbsolute(expanded) ? resolve(expanded) : resolve(baseDir, expanded)
}

/** Where sessions and the event log live: `$AO_HOME`, else `~/.agent-orchestrator`. */
export const resolveDataDir = (env: AoEnvironment["env"], homeDir: string, cwd: string = process.cwd()): string => {
  const aoHome = env["AO_HOME"]
  return aoHome !== undefined && aoHome.length > 0
    ? absolutePath(aoHome, cwd, homeDir)
    : join(homeDir, ".agent-orchestrator")
}
