import { Context, Data, Effect, Layer } from "effect"
import { spawn } from "node:child_process"
import { realpathSync } from "node:fs"
import { join } from "node:path"
import { commandSequence, type TmuxCommand } from "./tmux-arguments"

export interface TmuxServerConfig {
  /** A named server (`tmux -L`), so tests and benchmarks never touch the user's. */
  readonly socketName?: string
  /** The environment tmux runs with (default: this process's); its TMUX_TMPDIR picks the socket directory. */
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** The tmux executable could not be started. */
export class TmuxNotInstalled extends Data.TaggedError("TmuxNotInstalled")<{ readonly cause: unknown }> {}

/** A tmux command exited non-zero (or could not run); `stderr` says why. */
export class TmuxFailed extends Data.TaggedError("TmuxFailed")<{
  readonly argv: ReadonlyArray<string>
  readonly exitCode: number | undefined
  readonly stderr: string
  readonly cause: unknown
}> {
  override get message() {
    return `tmux ${this.argv.join(" ")} failed (exit code ${this.exitCode ?? "none"}): ${this.stderr}`
  }
}

/** A wedged server must not hang ao forever. */
const COMMAND_TIMEOUT_MS = 15_000

/** How one tmux process ended. */
interface TmuxOutcome {
  readonly stdout: string
  readonly stderr: string
  /** Undefined when tmux did not run or was killed. */
  readonly exitCode: number | undefined
  /** Why it failed, for a failure without stderr: the exit code, the signal, the timeout. */
  readonly reason: string
  /** Set when the process could not be started at all (ENOENT: tmux is not installed). */
  readonly spawnError: NodeJS.ErrnoException | undefined
}

/**
 * Runs tmux with an argument array and exactly `env`, its standard input the
 * `input` given or nothing, killed after COMMAND_TIMEOUT_MS or when `signal`
 * aborts (ao was interrupted). Reports every outcome through `done`, once.
 */
const runTmux = (
  argv: ReadonlyArray<string>,
  env: Record<string, string | undefined>,
  input: string | undefined,
  signal: AbortSignal,
  done: (outcome: TmuxOutcome) => void
): void => {
  const child = spawn("tmux", argv, { env, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] })
  const stdout: Array<Buffer> = []
  const stderr: Array<Buffer> = []
  let timedOut = false
  let settled = false
  const settle = (exitCode: number | undefined, reason: string, spawnError?: NodeJS.ErrnoException) => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    signal.removeEventListener("abort", abort)
    done({ stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8"), exitCode, reason, spawnError })
  }
  const abort = () => child.kill("SIGTERM")
  const timer = setTimeout(() => {
    timedOut = true
    child.kill("SIGTERM")
  }, COMMAND_TIMEOUT_MS)
  signal.addEventListener("abort", abort, { once: true })
  child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk))
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk))
  child.on("error", (error: NodeJS.ErrnoException) => {
    // Only a failure to start ends the run here; any other error is followed by "close".
    if (child.pid === undefined) settle(undefined, `could not start tmux: ${error.message}`, error)
  })
  child.on("close", (code, killedBy) => {
    if (timedOut) settle(undefined, `timed out after ${COMMAND_TIMEOUT_MS / 1000} s`)
    else if (code === null) settle(undefined, `killed by ${killedBy ?? "a signal"}`)
    else settle(code, `exit code ${code}, no output`)
  })
  // tmux may exit before reading all of it; that is its answer, not ours to fail on.
  child.stdin?.on("error", () => {})
  child.stdin?.end(input)
}

/** The thin client: runs tmux on the configured server. The Runtime mapping sits on top. */
export class TmuxClient extends Context.Tag("@ao/adapters-tmux/TmuxClient")<
  TmuxClient,
  {
    /**
     * Runs `commands` in ONE tmux process, in order, stopping at the first
     * failure; returns stdout. With `socket`, on the server at that socket
     * (`tmux -S`) whatever the environment says; else on the configured one.
     */
    readonly run: (
      commands: ReadonlyArray<TmuxCommand>,
      options?: { readonly input?: string; readonly socket?: string }
    ) => Effect.Effect<string, TmuxFailed | TmuxNotInstalled>
    /** The argument vector that runs `command` from the user's terminal against the same server (or `socket`). */
    readonly interactive: (command: TmuxCommand, socket?: string) => ReadonlyArray<string>
    /** The socket path of the configured server, worked out as tmux does (no process started). */
    readonly defaultSocket: string
  }
>() {
  static readonly layer = (config: TmuxServerConfig = {}): Layer.Layer<TmuxClient> =>
    Layer.sync(TmuxClient, () => makeTmuxClient(config))
}

const makeTmuxClient = (config: TmuxServerConfig) => {
  const inherited = config.env ?? process.env
  const socketDir = inherited["TMUX_TMPDIR"]
  // Inside a tmux session, $TMUX would point the client at that session's server
  // instead of the configured one: drop it whenever a server is configured.
  const configured = config.socketName !== undefined || socketDir !== undefined
  const env = Object.fromEntries(
    Object.entries(inherited).filter(([name, value]) => value !== undefined && !(configured && name === "TMUX"))
  )
  const serverArgs = config.socketName === undefined ? [] : ["-L", config.socketName]
  // With an explicit socket, $TMUX must not point the client elsewhere either.
  const socketEnv = Object.fromEntries(Object.entries(env).filter(([name]) => name !== "TMUX"))

  const run = Effect.fn("TmuxClient.run")(function* (
    commands: ReadonlyArray<TmuxCommand>,
    options: { readonly input?: string; readonly socket?: string } = {}
  ) {
    const argv = [...(options.socket === undefined ? serverArgs : ["-S", options.socket]), ...commandSequence(commands)]
    const result = yield* Effect.async<TmuxOutcome>((resume, signal) => {
      runTmux(argv, options.socket === undefined ? env : socketEnv, options.input, signal, (outcome) => resume(Effect.succeed(outcome)))
    })
    if (result.exitCode === 0) return result.stdout
    if (result.spawnError?.code === "ENOENT") return yield* new TmuxNotInstalled({ cause: result.spawnError })
    const stderr = result.stderr.trim()
    return yield* new TmuxFailed({
      argv,
      exitCode: result.exitCode,
      stderr: stderr.length > 0 ? stderr : result.reason,
      cause: result.spawnError ?? result.reason
    })
  })

  const interactive = (command: TmuxCommand, socket?: string): ReadonlyArray<string> => {
    if (socket !== undefined) return ["env", "-u", "TMUX", "tmux", "-S", socket, ...commandSequence([command])]
    const tmux = ["tmux", ...serverArgs, ...commandSequence([command])]
    return configured ? ["env", "-u", "TMUX", ...(socketDir === undefined ? [] : [`TMUX_TMPDIR=${socketDir}`]), ...tmux] : tmux
  }

  return TmuxClient.of({ run, interactive, defaultSocket: defaultSocketOf(config.socketName, socketDir, inherited["TMUX"], configured) })
}

/**
 * Where tmux puts the configured server's socket: `$TMUX`'s when inside tmux
 * and nothing else is configured, else `{TMUX_TMPDIR or /tmp}/tmux-{uid}/{name}`
 * with the directory resolved as tmux resolves it.
 */
const defaultSocketOf = (
  socketName: string | undefined,
  socketDir: string | undefined,
  insideTmux: string | undefined,
  configured: boolean
): string => {
  const fromTmux = insideTmux?.split(",")[0]
  if (!configured && fromTmux !== undefined && fromTmux !== "") return fromTmux
  const dir = socketDir === undefined || socketDir === "" ? "/tmp" : socketDir
  let resolved = dir
  try {
    resolved = realpathSync(dir)
  } catch {
    // Missing: tmux would fail to start there too, so the path as given is as good as any.
  }
  return join(resolved, `tmux-${process.getuid?.() ?? 0}`, socketName ?? "default")
}
