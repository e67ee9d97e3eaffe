import { dirname, join } from "node:path"
import { AgentHooks, WorkspaceFailed } from "@ao/domain"
import { Effect, Layer, Option } from "effect"
import { ensureDirectory, readTextIfExists, writeFileAtomic } from "../disk"
import { excludeFromGit } from "./git-exclude"
import { agentAdapterFor } from "./index"

export interface AgentHooksOptions {
  /** The argv that runs this `ao` (`node …/bin/ao.js`); none when the frontend cannot say (no hooks then). */
  readonly aoCommand: Option.Option<ReadonlyArray<string>>
  /** The data directory hooks write to, passed on as AO_HOME. */
  readonly dataDir: string
}

/** One word for a POSIX shell: agents run hook commands through one. */
const shellWord = (word: string): string => (/^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)

/**
 * The environment variable that, inside a container of the docker runtime,
 * names the shell-only hook to run instead of `ao` (which is not there).
 */
export const CONTAINER_HOOK_VARIABLE = "AO_CONTAINER_HOOK"

/**
 * `AO_HOME=… node …/ao.js hook <agent> <event>`: the line each hook runs. In
 * a container (AO_CONTAINER_HOOK set) the same line runs the container's
 * hook instead, so one settings file serves both; a shell's builtins only.
 */
export const hookCommandLine = (aoCommand: ReadonlyArray<string>, dataDir: string, agent: string, event: string): string =>
  [
    `[ -z "\${${CONTAINER_HOOK_VARIABLE}:-}" ] || exec "\$${CONTAINER_HOOK_VARIABLE}" ${shellWord(agent)} ${shellWord(event)};`,
    `AO_HOME=${shellWord(dataDir)}`,
    ...aoCommand.map(shellWord),
    "hook",
    agent,
    event
  ].join(" ")

const parseSettings = (path: string, text: string): Effect.Effect<unknown, WorkspaceFailed> =>
  Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: () =>
      new WorkspaceFailed({
        operation: "install agent hooks in",
        path,
        detail: "the settings file is not valid JSON; fix it or remove it, then run the command again"
      })
  })

/** Writes each agent's hook settings into the worktree, as its adapter says; agents without hooks get none. */
export const makeAgentHooks = ({ aoCommand, dataDir }: AgentHooksOptions) =>
  AgentHooks.of({
    install: ({ agent, workspacePath }) => {
      const settings = agentAdapterFor(agent).hookSettings
      if (settings === undefined || Option.isNone(aoCommand)) return Effect.succeed({ installed: false })
      const path = join(workspacePath, settings.file)
      const failed = (detail: string) => new WorkspaceFailed({ operation: "install agent hooks in", path, detail })
      return Effect.gen(function* () {
        const existing = yield* readTextIfExists(path)
        const current = Option.isSome(existing) ? yield* parseSettings(path, existing.value) : undefined
        const merged = settings.merge(current, (event) => hookCommandLine(aoCommand.value, dataDir, agent, event))
        yield* ensureDirectory(dirname(path))
        yield* writeFileAtomic(path, `${JSON.stringify(merged, null, 2)}\n`)
        yield* excludeFromGit(workspacePath, settings.file)
        return { installed: true, file: settings.file }
      }).pipe(Effect.catchTag("DiskError", (error) => Effect.fail(failed(`${error.operation} ${error.path}: ${error.detail}`))))
    }
  })

export const makeAgentHooksLayer = (options: AgentHooksOptions): Layer.Layer<AgentHooks> =>
  Layer.succeed(AgentHooks, makeAgentHooks(options))
