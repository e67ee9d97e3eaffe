import { type DomainError, errorView, type OutputChange, type RuntimeError } from "@ao/domain"
import { Duration, Effect, type Exit, Option, Schema, Stream } from "effect"
import type { SSEStreamingApi } from "hono/streaming"

/**
 * A session's live output, for a dashboard's session page: the pane's last
 * lines, then what the agent adds (as `ao logs -f`). Output is not an event
 * log, so there is no cursor to resume from: a reconnecting client gets the
 * last lines again, marked `replace`.
 */

/** Enough to see what the agent is doing (as `ao logs`). */
export const DEFAULT_OUTPUT_LINES = 50

export const OutputQuery = Schema.Struct({
  lines: Schema.optional(
    Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 10_000)).annotations({
      description: `How many of the pane's last lines (1 to 10000, default ${DEFAULT_OUTPUT_LINES})`
    })
  ),
  ansi: Schema.optional(
    Schema.Literal("true", "false").annotations({ description: "Keep colours and other terminal codes (default: text only)" })
  )
})
export type OutputQuery = typeof OutputQuery.Type

export const outputOptions = (query: OutputQuery) => ({ lines: query.lines ?? DEFAULT_OUTPUT_LINES, ansi: query.ansi === "true" })

/** One message of the output stream. */
export const OutputMessage = Schema.Struct({
  name: Schema.String,
  /** The client shows only these lines from now on (first message, or the agent redrew its screen); else it appends them. */
  replace: Schema.Boolean,
  lines: Schema.Array(Schema.String)
}).annotations({ identifier: "OutputMessage" })

export const OUTPUT_ROUTE = {
  path: "/api/sessions/{name}/output/stream",
  operationId: "followSessionOutput",
  summary:
    "Server-sent events: `output` with the pane's last lines (replace: true), then one `output` per change (lines to append, or replace: true after a redraw); `end` when the session stops running; comments as heartbeats",
  query: OutputQuery,
  event: OutputMessage,
  errors: ["InvalidSessionName", "InvalidInput", "SessionNotFound", "SessionRecordBroken", "SessionNotRunning", "RuntimeFailed", "ToolMissing", "StoreFailed"],
  resumable: false
} as const

type Item = Option.Option<OutputChange>

/**
 * Writes one client's output stream until the session ends, the client goes
 * or the server stops: each change as an `output` message, a heartbeat
 * comment every `heartbeatMillis`, and a last `end` or `error` message.
 */
export const writeOutputStream = async <R>(options: {
  readonly name: string
  readonly stream: SSEStreamingApi
  readonly changes: Stream.Stream<OutputChange, RuntimeError, R>
  readonly run: (effect: Effect.Effect<void, RuntimeError, R>, signal: AbortSignal) => Promise<Exit.Exit<void, DomainError>>
  readonly heartbeatMillis: number
  readonly stop: AbortSignal
}): Promise<void> => {
  const { name, stream } = options
  const done = new AbortController()
  const abort = () => done.abort()
  stream.onAbort(abort)
  options.stop.addEventListener("abort", abort, { once: true })
  let first = true
  const write = (item: Item) =>
    Effect.promise(async () => {
      if (Option.isNone(item)) {
        await stream.write(": heartbeat\n\n")
        return
      }
      const replace = first || item.value.redrawn
      first = false
      await stream.writeSSE({ event: "output", data: JSON.stringify({ name, replace, lines: item.value.lines }) })
    })
  const items = Stream.merge(
    Stream.map(options.changes, (change): Item => Option.some(change)),
    // A tick is at once, then every heartbeat: the first is dropped, the output itself comes first.
    Stream.map(Stream.drop(Stream.tick(Duration.millis(options.heartbeatMillis)), 1), (): Item => Option.none()),
    { haltStrategy: "left" }
  )
  try {
    const exit = await options.run(Stream.runForEach(items, write), done.signal)
    if (done.signal.aborted || stream.aborted) return
    if (exit._tag === "Success") {
      await stream.writeSSE({ event: "end", data: JSON.stringify({ name, reason: `Session ${name} is no longer running` }) })
    } else {
      const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
      if (failure !== undefined) await stream.writeSSE({ event: "error", data: JSON.stringify(errorView(failure)) })
    }
  } finally {
    options.stop.removeEventListener("abort", abort)
  }
}
