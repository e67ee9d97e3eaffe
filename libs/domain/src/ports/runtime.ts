import { Context, type DateTime, Effect } from "effect"
import { RuntimeFailed, type SessionAlreadyExists, type SessionNotRunning, type ToolMissing } from "../errors"
import type { AgentKey } from "../rules/agent-input"
import type { RuntimeServer } from "../runtime-server"
import { sessionNameProblem } from "../session-name"

/** What the runtime reports about one of its sessions, all from a single listing call. */
export interface RuntimeSessionInfo {
  readonly name: string
  readonly createdAt: DateTime.Utc
  readonly lastActivityAt: DateTime.Utc
  readonly attachedClients: number
  /** The agent command returned; the pane is kept so its output can still be read. */
  readonly paneDead: boolean
  /** The agent's exit status once its pane is dead, when the runtime knows it (not after a signal). */
  readonly exitStatus?: number
  readonly paneCommand: string
  /** The session's working directory (the worktree). */
  readonly path: string
  /**
   * What the agent runs in is gone although the session is still listed,
   * e.g. "its container ao-…-demo-1 is gone" (the docker runtime); the pane
   * is then dead. Absent when the runtime has nothing of the kind.
   */
  readonly sandboxGone?: string
  /**
   * Listed with no session of the runtime's own, only for what a sandbox
   * left behind: e.g. "its container ao-…-demo-1" or "its volume ao-…-demo-1,
   * which may hold the session's work" (the docker runtime). Killing it
   * removes it, bringing its work back first where there is any.
   */
  readonly leftover?: string
}

export interface RuntimeLaunch {
  readonly name: string
  readonly cwd: string
  /** The agent command as an argument vector: executed directly, never through a shell. */
  readonly argv: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
  /** The server to start it on (a restore goes back to the recorded one); the default server when absent. */
  readonly server?: RuntimeServer
}

/**
 * What one server said when listed: its sessions, or, when it did not
 * answer, whether the evidence says it is dead (then it holds no sessions)
 * or unknown (its sessions may be running; nothing may be judged on them).
 */
export type RuntimeServerListing =
  | { readonly _tag: "Listed"; readonly sessions: ReadonlyArray<RuntimeSessionInfo> }
  | { readonly _tag: "Dead" }
  | { readonly _tag: "Unknown"; readonly reason: string }

export type RuntimeError = RuntimeFailed | ToolMissing

/**
 * Where agents run (tmux locally). Every target is exact: `ao-1` never hits
 * `ao-10`. No server running means no sessions, not an error.
 *
 * The optional `server` of each per-session method is the session's recorded
 * server: the call goes there whatever the caller's environment says, and
 * fails with RuntimeFailed ("runtime unknown: …") when that server cannot be
 * asked and is not shown dead (see `runtimeServerVerdict`). Without it the
 * caller's default server is used.
 */
export class Runtime extends Context.Tag("@ao/domain/Runtime")<
  Runtime,
  {
    /** Starts the session; succeeds with the server it runs on, when the runtime has servers to record. */
    readonly create: (launch: RuntimeLaunch) => Effect.Effect<RuntimeServer | undefined, SessionAlreadyExists | RuntimeError>
    readonly exists: (name: string, server?: RuntimeServer) => Effect.Effect<boolean, RuntimeError>
    /** Kills the session; succeeds with false when there was none (or its server is dead). */
    readonly kill: (name: string, server?: RuntimeServer) => Effect.Effect<boolean, RuntimeError>
    /** Liveness and activity of every session of the default server in ONE call. */
    readonly list: Effect.Effect<ReadonlyArray<RuntimeSessionInfo>, RuntimeError>
    /**
     * One listing per entry, in order (`undefined` is the default server), with
     * ONE call per distinct server: entries that reach the same server share it.
     */
    readonly listServers: (
      servers: ReadonlyArray<RuntimeServer | undefined>
    ) => Effect.Effect<ReadonlyArray<RuntimeServerListing>, RuntimeError>
    /**
     * Pastes text into the session's pane as a bracketed paste (so an agent
     * that asks for it takes line breaks as text), then presses Enter unless
     * `submit` is false (the caller then presses it with `sendKey`, once it
     * sees the text arrived). The text has been checked for control
     * characters before it gets here.
     */
    readonly sendText: (
      name: string,
      text: string,
      server?: RuntimeServer,
      options?: { readonly submit?: boolean }
    ) => Effect.Effect<void, SessionNotRunning | RuntimeError>
    /** Presses one key of the fixed list in the session's pane. */
    readonly sendKey: (name: string, key: AgentKey, server?: RuntimeServer) => Effect.Effect<void, SessionNotRunning | RuntimeError>
    /**
     * The visible pane plus up to `historyLines` of scrollback, as text; with
     * `escapes`, with the escape sequences that draw its colours and attributes.
     */
    readonly capture: (
      name: string,
      historyLines: number,
      server?: RuntimeServer,
      options?: { readonly escapes?: boolean }
    ) => Effect.Effect<string, SessionNotRunning | RuntimeError>
    /** The argument vector that attaches a terminal to the session. */
    readonly attachCommand: (name: string, server?: RuntimeServer) => ReadonlyArray<string>
  }
>() {}

/**
 * Runtimes refuse names they cannot host before touching anything: a session
 * name problem, or '.', which tmux reserves for pane targets (it would
 * silently rename the session).
 */
export const checkRuntimeSessionName = (operation: string, name: string): Effect.Effect<void, RuntimeFailed> => {
  const problem = sessionNameProblem(name) ?? (name.includes(".") ? "tmux does not allow '.' in session names" : undefined)
  return problem === undefined
    ? Effect.void
    : Effect.fail(new RuntimeFailed({ operation, target: name, detail: `invalid session name: ${problem}` }))
}

/**
 * Why a runtime cannot start `argv` as given, if it cannot: nothing to run, a
 * NUL byte (no process can receive one), or a lone word with '=' (`env`
 * would read it as a variable, not run it). Runtimes refuse these before
 * touching anything.
 */
export const agentCommandProblem = (argv: ReadonlyArray<string>): string | undefined => {
  const [program, ...args] = argv
  if (program === undefined || program === "") return "the agent command is empty"
  if (argv.some((argument) => argument.includes("\0"))) return "the agent command contains a NUL byte"
  if (args.length === 0 && program.includes("=")) return `a one-word agent command cannot contain '=': ${program}`
  return undefined
}
