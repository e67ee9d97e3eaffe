import { EventLog, EventLogFailed, SessionEvent } from "@ao/domain"
import { Context, Effect, Layer, Ref } from "effect"

/** What the in-memory event log recorded, for assertions. */
export class MemoryEventLog extends Context.Tag("@ao/adapters-memory/MemoryEventLog")<
  MemoryEventLog,
  { readonly events: Effect.Effect<ReadonlyArray<SessionEvent>> }
>() {}

/** The cursor is the number of events already read. */
const parseCursor = (after: string | undefined, length: number): number | undefined => {
  if (after === undefined) return 0
  const position = Number(after)
  return /^\d+$/.test(after) && position <= length ? position : undefined
}

export const makeMemoryEventLog = (options: { readonly actor: string }) =>
  Effect.map(Ref.make<ReadonlyArray<SessionEvent>>([]), (events) => ({
    eventLog: EventLog.of({
      append: (event) => Ref.update(events, (all) => [...all, new SessionEvent({ ...event, actor: options.actor })]),
      read: Effect.fn("MemoryEventLog.read")(function* ({ after, limit }) {
        const all = yield* Ref.get(events)
        const start = parseCursor(after, all.length)
        if (start === undefined) {
          return yield* new EventLogFailed({ path: "memory", detail: `cursor ${JSON.stringify(after)} is not one this log returned` })
        }
        const page = all.slice(start, limit === undefined ? undefined : start + limit)
        return { events: page, cursors: page.map((_, index) => String(start + index + 1)), cursor: String(start + page.length) }
      })
    }),
    recorded: MemoryEventLog.of({ events: Ref.get(events) })
  }))

export const MemoryEventLogLive = (options: { readonly actor: string }): Layer.Layer<EventLog | MemoryEventLog> =>
  Layer.effectContext(
    Effect.map(makeMemoryEventLog(options), ({ eventLog, recorded }) =>
      Context.make(EventLog, eventLog).pipe(Context.add(MemoryEventLog, recorded))
    )
  )
