import { join } from "node:path"
import { EventLog, EventLogFailed, SessionEvent } from "@ao/domain"
import { Effect, Either, Layer, ParseResult, Schema } from "effect"
import { appendLine, type DiskError, ensureDirectory, readBytes } from "./disk"

export interface EventLogOptions {
  readonly dataDir: string
  /** Who acts through this process, e.g. `cli:<pid>`; stamped on every event. */
  readonly actor: string
}

const encodeLine = Schema.encodeSync(Schema.parseJson(SessionEvent))
const decodeEvent = Schema.decodeUnknownEither(SessionEvent)

/**
 * One line of the log. A line that is not even JSON is the tail a writer
 * left when it crashed mid-append (appendLine starts the next line afresh):
 * it holds no event and is passed over. JSON that is not an event is a real
 * problem and fails the read.
 */
const lineAt = (text: string) => {
  const parsed = Either.try(() => JSON.parse(text) as unknown)
  if (Either.isLeft(parsed)) return { _tag: "Torn" } as const
  const decoded = decodeEvent(parsed.right)
  return Either.isRight(decoded)
    ? ({ _tag: "Event", event: decoded.right } as const)
    : ({ _tag: "NotAnEvent", problem: ParseResult.TreeFormatter.formatErrorSync(decoded.left) } as const)
}

const NEWLINE = 0x0a
const CHUNK = 64 * 1024

export const eventLogPath = (dataDir: string) => join(dataDir, "events.jsonl")

/**
 * The audit log as JSON lines. A cursor is the byte offset just past the last
 * line read, so a follower reads only what was appended since.
 */
export const makeEventLog = (options: EventLogOptions) => {
  const path = eventLogPath(options.dataDir)
  const failed = (detail: string) => new EventLogFailed({ path, detail })
  const fromDisk = (error: DiskError) => failed(`${error.operation}: ${error.detail}`)

  const startOf = Effect.fn("EventLog.cursor")(function* (after: string | undefined) {
    if (after === undefined) return 0
    const offset = /^\d{1,15}$/.test(after) ? Number(after) : Number.NaN
    if (Number.isNaN(offset)) return yield* failed(`cursor ${JSON.stringify(after)} is not a byte offset`)
    if (offset === 0) return 0
    // A cursor this log returned sits just past a newline.
    const bytes = yield* Effect.mapError(readBytes(path, offset - 1, 1), fromDisk)
    if (bytes[0] !== NEWLINE) return yield* failed(`cursor ${after} is not one this log returned`)
    return offset
  })

  const read = Effect.fn("EventLog.read")(function* (request: { readonly after?: string; readonly limit?: number }) {
    const start = yield* startOf(request.after)
    const limit = request.limit ?? Number.POSITIVE_INFINITY
    const events: Array<SessionEvent> = []
    const cursors: Array<string> = []
    let offset = start
    let pending = Buffer.alloc(0)
    let position = start
    while (events.length < limit) {
      const bytes = yield* Effect.mapError(readBytes(path, position, CHUNK), fromDisk)
      if (bytes.length === 0) break
      position += bytes.length
      pending = Buffer.concat([pending, bytes])
      let newline = pending.indexOf(NEWLINE)
      while (newline !== -1 && events.length < limit) {
        const line = lineAt(pending.subarray(0, newline).toString("utf8"))
        if (line._tag === "NotAnEvent") return yield* failed(`the line at byte ${offset} is not an event: ${line.problem}`)
        offset += newline + 1
        if (line._tag === "Event") {
          events.push(line.event)
          cursors.push(String(offset))
        }
        pending = pending.subarray(newline + 1)
        newline = pending.indexOf(NEWLINE)
      }
    }
    // A line still being appended (no newline yet) is left for the next read.
    return { events, cursors, cursor: String(offset) }
  })

  return EventLog.of({
    append: (event) =>
      Effect.mapError(
        Effect.zipRight(
          ensureDirectory(options.dataDir),
          appendLine(path, `${encodeLine(new SessionEvent({ ...event, actor: options.actor }))}\n`)
        ),
        fromDisk
      ),
    read
  })
}

export const makeEventLogLayer = (options: EventLogOptions): Layer.Layer<EventLog> =>
  Layer.sync(EventLog, () => makeEventLog(options))
