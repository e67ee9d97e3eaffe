import {
  type AgentKey,
  checkRuntimeSessionName,
  Runtime,
  type RuntimeLaunch,
  RuntimeFailed,
  RuntimeServer,
  type RuntimeServerListing,
  runtimeServerVerdict,
  type RuntimeSessionInfo,
  SessionAlreadyExists,
  SessionNotRunning,
  ToolMissing
} from "@ao/domain"
import { Effect, Either, Layer, Option, Ref } from "effect"
import { existsSync } from "node:fs"
import { stat } from "node:fs/promises"
import { dirname } from "node:path"
import { serverEvidence } from "./server-evidence"
import { LIST_SESSIONS_FORMAT, parseSessionListing } from "./session-listing"
import { directCommand, paneTarget, sessionTarget, type TmuxCommand } from "./tmux-arguments"
import { TmuxClient, type TmuxFailed, type TmuxNotInstalled } from "./tmux-client"
import { isSessionAbsent, tmuxFailureKind } from "./tmux-failure"

/** The server's socket and pid, asked in the same tmux process that creates a session. */
const SERVER_FORMAT = "#{socket_path}\t#{pid}"

/** The server from SERVER_FORMAT's line; undefined when tmux printed something else (nothing is recorded then). */
const parseServer = (stdout: string): RuntimeServer | undefined => {
  const [address, pid] = (stdout.trim().split("\n").at(-1) ?? "").split("\t")
  const parsed = Number(pid)
  return address !== undefined && address.startsWith("/") && Number.isInteger(parsed) && parsed > 0
    ? new RuntimeServer({ address, pid: parsed })
    : undefined
}

/**
 * Sends SIGCHLD to the tmux server `pid`, which makes it reap any exited child it
 * missed; harmless otherwise. False when there is no such process to signal.
 */
const nudgeToReap = (pid: number): boolean => {
  try {
    process.kill(pid, "SIGCHLD")
    return true
  } catch {
    return false
  }
}

/** Rendered text ends in padding; callers want the lines. */
const tidyCapture = (screen: string): string =>
  screen
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trimEnd()

/** The Runtime port over a TmuxClient: which tmux commands, and what their failures mean. */
export const TmuxRuntime = Layer.effect(
  Runtime,
  Effect.gen(function* () {
    const tmux = yield* TmuxClient
    const pasteBuffers = yield* Ref.make(0)

    const translate = (operation: string, target: string) => (failure: TmuxFailed | TmuxNotInstalled) =>
      failure._tag === "TmuxNotInstalled"
        ? new ToolMissing({ tool: "tmux" })
        : new RuntimeFailed({ operation, target, detail: failure.stderr })

    /**
     * What a recorded server's failure to answer means: dead (it holds no
     * sessions) or unknown, decided by the domain's evidence rule.
     */
    const judgeServer = (server: RuntimeServer, failure: TmuxFailed) =>
      Effect.map(serverEvidence(server, failure.stderr, tmuxFailureKind(failure) === "NoServer"), runtimeServerVerdict)

    /** The failures that say the recorded server may not be there. */
    const serverTrouble = (failure: TmuxFailed | TmuxNotInstalled): failure is TmuxFailed =>
      failure._tag === "TmuxFailed" && (tmuxFailureKind(failure) === "NoServer" || tmuxFailureKind(failure) === "Unreachable")

    /**
     * Runs commands that target a session; None when it, or the whole server,
     * is not there. On a recorded server that does not answer and is not shown
     * dead, fails with "runtime unknown": its agent may be running.
     */
    const onSession = Effect.fn("TmuxRuntime.onSession")(function* (
      operation: string,
      name: string,
      commands: ReadonlyArray<TmuxCommand>,
      options: { readonly input?: string; readonly server?: RuntimeServer | undefined } = {}
    ) {
      const result = yield* Effect.either(
        tmux.run(commands, {
          ...(options.input === undefined ? {} : { input: options.input }),
          ...(options.server === undefined ? {} : { socket: options.server.address })
        })
      )
      if (Either.isRight(result)) return Option.some(result.right)
      const failure = result.left
      if (options.server !== undefined && serverTrouble(failure)) {
        const verdict = yield* judgeServer(options.server, failure)
        if (verdict._tag === "Dead") return Option.none<string>()
        return yield* new RuntimeFailed({ operation, target: name, detail: `runtime unknown: ${verdict.reason}; nothing was changed` })
      }
      if (failure._tag === "TmuxFailed" && isSessionAbsent(failure)) return Option.none<string>()
      return yield* translate(operation, name)(failure)
    })

    const listSessions = (server: RuntimeServer | undefined) =>
      Effect.either(tmux.run([["list-sessions", "-F", LIST_SESSIONS_FORMAT]], server === undefined ? {} : { socket: server.address }))

    /** One listing of one server; the default one (no `server`) answers "no server" with no sessions, as always. */
    const listOne = Effect.fn("TmuxRuntime.listOne")(function* (server: RuntimeServer | undefined) {
      let result = yield* listSessions(server)
      // tmux can miss the exit of an agent whose pane just died (see SessionListing):
      // nudge it to reap, and ask once more, so the exit status is not lost for good.
      const unreaped = Either.isRight(result)
        ? Either.getOrUndefined(parseSessionListing(result.right))?.unreapedServerPid
        : undefined
      if (unreaped !== undefined && nudgeToReap(unreaped)) result = yield* listSessions(server)
      if (Either.isLeft(result)) {
        const failure = result.left
        if (server !== undefined && serverTrouble(failure)) return (yield* judgeServer(server, failure)) satisfies RuntimeServerListing
        // No server running is no sessions.
        if (failure._tag === "TmuxFailed" && tmuxFailureKind(failure) === "NoServer") {
          return { _tag: "Listed", sessions: [] } satisfies RuntimeServerListing
        }
        return yield* translate("list", "sessions")(failure)
      }
      const parsed = parseSessionListing(result.right)
      if (Either.isLeft(parsed)) {
        return yield* new RuntimeFailed({
          operation: "list",
          target: "sessions",
          detail: `unreadable line ${JSON.stringify(parsed.left.line)}: ${parsed.left.problem}`
        })
      }
      return { _tag: "Listed", sessions: parsed.right.sessions } satisfies RuntimeServerListing
    })

    const listServers = (servers: ReadonlyArray<RuntimeServer | undefined>) =>
      Effect.gen(function* () {
        // One call per socket: the default server and a recorded one at the same socket share it.
        const bySocket = new Map<string, RuntimeServer | undefined>()
        for (const server of servers) {
          const socket = server?.address ?? tmux.defaultSocket
          if (!bySocket.has(socket) || bySocket.get(socket) === undefined) bySocket.set(socket, server)
        }
        const listings = new Map(
          yield* Effect.forEach(
            [...bySocket.entries()],
            ([socket, server]) => Effect.map(listOne(server), (listing) => [socket, listing] as const),
            { concurrency: "unbounded" }
          )
        )
        return servers.map((server): RuntimeServerListing => listings.get(server?.address ?? tmux.defaultSocket) ?? { _tag: "Dead" })
      }).pipe(Effect.withSpan("TmuxRuntime.listServers"))

    /** Where a new session goes: back to its recorded server's socket while its directory is there, else the default. */
    const socketFor = (server: RuntimeServer | undefined): string | undefined =>
      server !== undefined && existsSync(dirname(server.address)) ? server.address : undefined

    const checkWorkingDirectory = (launch: RuntimeLaunch) =>
      Effect.tryPromise({
        try: () => stat(launch.cwd),
        catch: (cause) =>
          new RuntimeFailed({
            operation: "create session",
            target: launch.name,
            detail:
              (cause as NodeJS.ErrnoException).code === "ENOENT"
                ? `its working directory ${launch.cwd} does not exist`
                : `cannot read its working directory ${launch.cwd}: ${String(cause)}`
          })
      }).pipe(
        Effect.filterOrFail(
          (stats) => stats.isDirectory(),
          () => new RuntimeFailed({ operation: "create session", target: launch.name, detail: `its working directory ${launch.cwd} is not a directory` })
        )
      )

    /** The session's pane, when its agent still runs: tmux drops keys sent to a dead pane without a word. */
    const livePane = (operation: string, name: string, server: RuntimeServer | undefined) =>
      Effect.gen(function* () {
        yield* checkRuntimeSessionName(operation, name)
        const pane = paneTarget(name)
        const paneDead = yield* onSession(operation, name, [["display-message", "-p", "-t", pane, "#{pane_dead}"]], { server })
        if (Option.isNone(paneDead) || paneDead.value.trim() === "1") return yield* new SessionNotRunning({ id: name })
        return pane
      })

    const nextPasteBuffer = Effect.map(Ref.getAndUpdate(pasteBuffers, (n) => n + 1), (n) => `ao-send-${process.pid}-${n}`)

    return Runtime.of({
      create: Effect.fn("TmuxRuntime.create")(function* (launch: RuntimeLaunch) {
        const operation = "create session"
        yield* checkRuntimeSessionName(operation, launch.name)
        const command = yield* Either.mapLeft(
          directCommand(launch.argv),
          (problem) => new RuntimeFailed({ operation, target: launch.name, detail: problem })
        )
        // tmux silently starts elsewhere when the directory is missing.
        yield* checkWorkingDirectory(launch)
        const environment = Object.entries(launch.env).flatMap(([name, value]) => ["-e", `${name}=${value}`])
        const socket = socketFor(launch.server)
        const placed = yield* tmux
          .run(
            [
              ["new-session", "-d", "-s", launch.name, "-c", launch.cwd, ...environment, "--", ...command],
              // In the same tmux process, so even an agent that exits at once leaves its dead pane behind.
              ["set-option", "-t", paneTarget(launch.name), "remain-on-exit", "on"],
              // Which server it runs on, recorded so later commands from any environment find it.
              ["display-message", "-p", "-t", paneTarget(launch.name), SERVER_FORMAT]
            ],
            socket === undefined ? {} : { socket }
          )
          .pipe(
            // Right after the last session ends, new-session can reach the exiting server and
            // fail with nothing created; the next attempt starts a new server.
            Effect.retry({
              times: 3,
              while: (failure) => failure._tag === "TmuxFailed" && tmuxFailureKind(failure) === "NoServer"
            }),
            Effect.catchIf(
              (failure) => failure._tag === "TmuxFailed" && tmuxFailureKind(failure) === "DuplicateSession",
              () => new SessionAlreadyExists({ id: launch.name })
            ),
            Effect.mapError((failure) =>
              failure._tag === "SessionAlreadyExists" ? failure : translate(operation, launch.name)(failure)
            )
          )
        return parseServer(placed)
      }),

      exists: Effect.fn("TmuxRuntime.exists")(function* (name: string, server?: RuntimeServer) {
        yield* checkRuntimeSessionName("find session", name)
        return Option.isSome(yield* onSession("find session", name, [["has-session", "-t", sessionTarget(name)]], { server }))
      }),

      kill: Effect.fn("TmuxRuntime.kill")(function* (name: string, server?: RuntimeServer) {
        yield* checkRuntimeSessionName("kill session", name)
        return Option.isSome(yield* onSession("kill session", name, [["kill-session", "-t", sessionTarget(name)]], { server }))
      }),

      list: Effect.map(listOne(undefined), (listing): ReadonlyArray<RuntimeSessionInfo> =>
        listing._tag === "Listed" ? listing.sessions : []
      ).pipe(Effect.withSpan("TmuxRuntime.list")),

      listServers,

      sendText: Effect.fn("TmuxRuntime.sendText")(function* (
        name: string,
        text: string,
        server?: RuntimeServer,
        options?: { readonly submit?: boolean }
      ) {
        const operation = "send to session"
        const pane = yield* livePane(operation, name, server)
        // Always a bracketed paste (-p): an agent that enabled it takes line breaks as text, not as Enter.
        const sent = yield* Effect.flatMap(nextPasteBuffer, (buffer) =>
          onSession(
            operation,
            name,
            [
              ["load-buffer", "-b", buffer, "-"],
              ["paste-buffer", "-d", "-p", "-b", buffer, "-t", pane],
              ...(options?.submit === false ? [] : [["send-keys", "-t", pane, "Enter"]])
            ],
            { input: text, server }
          )
        )
        if (Option.isNone(sent)) return yield* new SessionNotRunning({ id: name })
      }),

      sendKey: Effect.fn("TmuxRuntime.sendKey")(function* (name: string, key: AgentKey, server?: RuntimeServer) {
        const operation = "press a key in session"
        const pane = yield* livePane(operation, name, server)
        const sent = yield* onSession(operation, name, [["send-keys", "-t", pane, key]], { server })
        if (Option.isNone(sent)) return yield* new SessionNotRunning({ id: name })
      }),

      capture: Effect.fn("TmuxRuntime.capture")(function* (
        name: string,
        historyLines: number,
        server?: RuntimeServer,
        options?: { readonly escapes?: boolean }
      ) {
        const operation = "capture session"
        yield* checkRuntimeSessionName(operation, name)
        const start = `-${Math.max(0, Math.floor(historyLines))}`
        const escapes = options?.escapes === true ? ["-e"] : []
        const screen = yield* onSession(operation, name, [["capture-pane", "-p", "-J", ...escapes, "-t", paneTarget(name), "-S", start]], {
          server
        })
        if (Option.isNone(screen)) return yield* new SessionNotRunning({ id: name })
        return tidyCapture(screen.value)
      }),

      attachCommand: (name, server) => tmux.interactive(["attach-session", "-t", sessionTarget(name)], server?.address)
    })
  })
)
