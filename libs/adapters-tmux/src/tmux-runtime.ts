import {
  type AgentKey,
  checkRuntimeSessionName,
  Runtime,
  type RuntimeLaunch,
  RuntimeFailed,
  SessionAlreadyExists,
  SessionNotRunning,
  ToolMissing
} from "@ao/domain"
import { Effect, Either, Layer, Option, Ref } from "effect"
import { stat } from "node:fs/promises"
import { LIST_SESSIONS_FORMAT, parseSessionListing } from "./session-listing"
import { directCommand, paneTarget, sessionTarget, type TmuxCommand } from "./tmux-arguments"
import { TmuxClient, type TmuxFailed, type TmuxNotInstalled } from "./tmux-client"
import { isSessionAbsent, tmuxFailureKind } from "./tmux-failure"

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

    /** Runs commands that target a session; None when it, or the whole server, is not there. */
    const onSession = (
      operation: string,
      name: string,
      commands: ReadonlyArray<TmuxCommand>,
      options: { readonly input?: string } = {}
    ): Effect.Effect<Option.Option<string>, RuntimeFailed | ToolMissing> =>
      tmux.run(commands, options).pipe(
        Effect.map(Option.some),
        Effect.catchIf(
          (failure) => failure._tag === "TmuxFailed" && isSessionAbsent(failure),
          () => Effect.succeed(Option.none())
        ),
        Effect.mapError(translate(operation, name))
      )

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
    const livePane = (operation: string, name: string) =>
      Effect.gen(function* () {
        yield* checkRuntimeSessionName(operation, name)
        const pane = paneTarget(name)
        const paneDead = yield* onSession(operation, name, [["display-message", "-p", "-t", pane, "#{pane_dead}"]])
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
        yield* tmux
          .run([
            ["new-session", "-d", "-s", launch.name, "-c", launch.cwd, ...environment, "--", ...command],
            // In the same tmux process, so even an agent that exits at once leaves its dead pane behind.
            ["set-option", "-t", paneTarget(launch.name), "remain-on-exit", "on"]
          ])
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
      }),

      exists: Effect.fn("TmuxRuntime.exists")(function* (name: string) {
        yield* checkRuntimeSessionName("find session", name)
        return Option.isSome(yield* onSession("find session", name, [["has-session", "-t", sessionTarget(name)]]))
      }),

      kill: Effect.fn("TmuxRuntime.kill")(function* (name: string) {
        yield* checkRuntimeSessionName("kill session", name)
        return Option.isSome(yield* onSession("kill session", name, [["kill-session", "-t", sessionTarget(name)]]))
      }),

      list: Effect.gen(function* () {
        const listing = yield* tmux.run([["list-sessions", "-F", LIST_SESSIONS_FORMAT]]).pipe(
          // No server running is no sessions.
          Effect.catchIf(
            (failure) => failure._tag === "TmuxFailed" && tmuxFailureKind(failure) === "NoServer",
            () => Effect.succeed("")
          ),
          Effect.mapError(translate("list", "sessions"))
        )
        return yield* Either.mapLeft(
          parseSessionListing(listing),
          ({ line, problem }) =>
            new RuntimeFailed({ operation: "list", target: "sessions", detail: `unreadable line ${JSON.stringify(line)}: ${problem}` })
        )
      }).pipe(Effect.withSpan("TmuxRuntime.list")),

      sendText: Effect.fn("TmuxRuntime.sendText")(function* (name: string, text: string) {
        const operation = "send to session"
        const pane = yield* livePane(operation, name)
        // Always a bracketed paste (-p): an agent that enabled it takes line breaks as text, not as Enter.
        const sent = yield* Effect.flatMap(nextPasteBuffer, (buffer) =>
          onSession(
            operation,
            name,
            [["load-buffer", "-b", buffer, "-"], ["paste-buffer", "-d", "-p", "-b", buffer, "-t", pane], ["send-keys", "-t", pane, "Enter"]],
            { input: text }
          )
        )
        if (Option.isNone(sent)) return yield* new SessionNotRunning({ id: name })
      }),

      sendKey: Effect.fn("TmuxRuntime.sendKey")(function* (name: string, key: AgentKey) {
        const operation = "press a key in session"
        const pane = yield* livePane(operation, name)
        const sent = yield* onSession(operation, name, [["send-keys", "-t", pane, key]])
        if (Option.isNone(sent)) return yield* new SessionNotRunning({ id: name })
      }),

      capture: Effect.fn("TmuxRuntime.capture")(function* (
        name: string,
        historyLines: number,
        options?: { readonly escapes?: boolean }
      ) {
        const operation = "capture session"
        yield* checkRuntimeSessionName(operation, name)
        const start = `-${Math.max(0, Math.floor(historyLines))}`
        const escapes = options?.escapes === true ? ["-e"] : []
        const screen = yield* onSession(operation, name, [["capture-pane", "-p", "-J", ...escapes, "-t", paneTarget(name), "-S", start]])
        if (Option.isNone(screen)) return yield* new SessionNotRunning({ id: name })
        return tidyCapture(screen.value)
      }),

      attachCommand: (name) => tmux.interactive(["attach-session", "-t", sessionTarget(name)])
    })
  })
)
