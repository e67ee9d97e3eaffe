import { Duration, Effect, Option, Ref, Stream } from "effect"
import { Runtime, type RuntimeError } from "../ports/runtime"
import type { RuntimeServer } from "../runtime-server"
import { SessionStore } from "../ports/session-store"
import { lastLines, type OutputChange, outputSince, stripTerminalCodes } from "../rules/pane-output"
import { parseSessionName } from "../session-name"
import type { OutputResult } from "./results"

export interface OutputOptions {
  /** How many of the pane's last lines. */
  readonly lines: number
  /** Keep the escape sequences that draw colours (`--ansi`). */
  readonly ansi: boolean
}

/** Follow mode reads at least this much of the pane each time, so output printed between two reads is not mistaken for a redraw. */
const FOLLOW_WINDOW_LINES = 500
export const FOLLOW_INTERVAL = Duration.millis(500)

const runtimeHandleOf = Effect.fn("Session.outputTarget")(function* (input: string) {
  const id = yield* parseSessionName(input)
  const session = yield* Effect.flatMap(SessionStore, (store) => store.get(id))
  return { id, handle: session.runtimeHandle, server: session.runtimeServer }
})

/** The pane's last lines, as text unless ANSI was asked for. */
const captureLines = (target: { readonly handle: string; readonly server: RuntimeServer | undefined }, lines: number, ansi: boolean) =>
  Effect.flatMap(Runtime, (runtime) =>
    Effect.map(runtime.capture(target.handle, lines, target.server, { escapes: ansi }), (capture) =>
      lastLines(ansi ? capture : stripTerminalCodes(capture), lines)
    )
  )

/** `ao logs`: the session's recent output without attaching. A killed session (no pane) is SessionNotRunning. */
export const sessionOutput = Effect.fn("Session.output")(function* (input: string, options: OutputOptions) {
  const { id, ...target } = yield* runtimeHandleOf(input)
  const lines = yield* captureLines(target, options.lines, options.ansi)
  return { id, lines, ansi: options.ansi } satisfies OutputResult
})

/**
 * `ao logs -f`: the last `lines` lines, then what the pane adds, read every
 * `interval`. The stream ends when the session's pane is gone (killed); it
 * fails only when the runtime cannot be read.
 */
export const followSessionOutput = Effect.fn("Session.followOutput")(function* (
  input: string,
  options: OutputOptions & { readonly interval?: Duration.DurationInput }
) {
  const { id, ...target } = yield* runtimeHandleOf(input)
  const window = Math.max(options.lines, FOLLOW_WINDOW_LINES)
  const interval = options.interval ?? FOLLOW_INTERVAL
  const first = yield* captureLines(target, window, options.ansi)
  const previous = yield* Ref.make(first)
  const next = Effect.gen(function* () {
    yield* Effect.sleep(interval)
    // A pane that is gone ends the stream (Option.none); any other failure fails it.
    const capture = yield* Effect.mapError(captureLines(target, window, options.ansi), (error) =>
      error._tag === "SessionNotRunning" ? Option.none() : Option.some(error)
    )
    return outputSince(yield* Ref.getAndSet(previous, capture), capture)
  })
  const changes: Stream.Stream<OutputChange, RuntimeError, Runtime> = Stream.concat(
    Stream.succeed<OutputChange>({ lines: options.lines > 0 ? first.slice(-options.lines) : [], redrawn: false }),
    Stream.filter(Stream.repeatEffectOption(next), (change) => change.lines.length > 0)
  )
  return { id, changes }
})
