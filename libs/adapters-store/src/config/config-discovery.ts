import { basename, dirname, isAbsolute, join, resolve } from "node:path"
import { Effect, Option } from "effect"
import { exists, readTextIfExists } from "../disk"
import type { AoEnvironment } from "../environment"

export const CONFIG_FILE_NAME = "agent-orchestrator.yaml"

/** `$XDG_CONFIG_HOME/ao/agent-orchestrator.yaml`, else `~/.config/ao/…` (a relative XDG path is ignored, per the spec). */
export const globalConfigPath = (environment: AoEnvironment): string => {
  const xdg = environment.env["XDG_CONFIG_HOME"]
  const configHome = xdg !== undefined && isAbsolute(xdg) ? xdg : join(environment.homeDir, ".config")
  return join(configHome, "ao", CONFIG_FILE_NAME)
}

/** The file `$AO_CONFIG_PATH` names, when set. */
export const explicitConfigPath = (environment: AoEnvironment): string | undefined => {
  const explicit = environment.env["AO_CONFIG_PATH"]
  return explicit !== undefined && explicit.length > 0 ? resolve(environment.cwd, explicit) : undefined
}

/** The user's own configs: the global one, and the one $AO_CONFIG_PATH names. They never need `ao trust`. */
export const isOwnConfig = (environment: AoEnvironment, path: string): boolean =>
  path === globalConfigPath(environment) || path === explicitConfigPath(environment)

const directoryAndParents = (start: string): ReadonlyArray<string> => {
  const dirs: Array<string> = []
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    dirs.push(dir)
    if (dirname(dir) === dir) return dirs
  }
}

/**
 * The main working tree of the repository when `cwd` is inside a linked
 * worktree (a session's): its `.git` is a file pointing into the main
 * repository's `.git/worktrees/<name>`, whose `commondir` leads back to the
 * main `.git`. Read from those files, no git process.
 */
export const mainWorktreeOf = Effect.fn("Config.mainWorktree")(function* (cwd: string) {
  // Not knowing (an unreadable file) only means no second place to look: the walk from cwd still runs.
  const unknown = () => Effect.succeed(Option.none<string>())
  for (const dir of directoryAndParents(cwd)) {
    const dotGit = yield* readTextIfExists(join(dir, ".git")).pipe(
      // EISDIR: a `.git` directory, so this is a main working tree, which the walk up from cwd finds anyway.
      Effect.catchTag("DiskError", (error) => (error.code === "EISDIR" ? Effect.succeed(Option.some("")) : unknown()))
    )
    if (Option.isNone(dotGit)) continue
    const gitDir = /^gitdir:\s*(.+)$/m.exec(dotGit.value)?.[1]?.trim()
    if (gitDir === undefined) return Option.none<string>()
    const linkedDir = resolve(dir, gitDir)
    const commonDir = yield* readTextIfExists(join(linkedDir, "commondir")).pipe(Effect.catchTag("DiskError", unknown))
    if (Option.isNone(commonDir)) return Option.none<string>()
    const common = resolve(linkedDir, commonDir.value.trim())
    return basename(common) === ".git" ? Option.some(dirname(common)) : Option.none<string>()
  }
  return Option.none<string>()
})

/**
 * Where a repository's own config is looked for, nearest first: the current
 * directory and its parents, then (inside a session's worktree) the main
 * working tree and its parents.
 */
export const localConfigCandidates = Effect.fn("Config.localCandidates")(function* (environment: AoEnvironment) {
  const main = yield* mainWorktreeOf(environment.cwd)
  const dirs = [...directoryAndParents(environment.cwd), ...Option.match(main, { onNone: () => [], onSome: directoryAndParents })]
  return [...new Set(dirs.map((dir) => join(dir, CONFIG_FILE_NAME)))]
})

/** The places a config is looked for, in order: $AO_CONFIG_PATH alone when set, else the repository's own, then the global config. */
export const configCandidates = Effect.fn("Config.candidates")(function* (environment: AoEnvironment) {
  const explicit = explicitConfigPath(environment)
  if (explicit !== undefined) return [explicit]
  return [...(yield* localConfigCandidates(environment)), globalConfigPath(environment)]
})

/** The first of `candidates` that exists. */
export const firstExisting = Effect.fn("Config.firstExisting")(function* (candidates: ReadonlyArray<string>) {
  for (const candidate of candidates) {
    // A candidate that cannot even be checked (permissions) is read next, where that failure is reported.
    const found = yield* exists(candidate).pipe(Effect.catchTag("DiskError", () => Effect.succeed(true)))
    if (found) return Option.some(candidate)
  }
  return Option.none<string>()
})
