import { EventLog, parseSessionName, SessionEvent } from "@ao/domain"
import { Console, DateTime, Effect, Option, Schema } from "effect"
import { printJson, reportFailure, runUseCase } from "./run-use-case"

export interface EventsInput {
  readonly follow: boolean
  readonly session: Option.Option<string>
  readonly json: boolean
}

const encodeEvent = Schema.encodeSync(SessionEvent)

/** One line per event: when, which session, what, who, and why (with what the reaction came to). */
export const eventLine = (event: SessionEvent): string => {
  const transition = event.from !== null || event.to !== null ? ` ${event.from ?? "-"} → ${event.to ?? "-"}` : ""
  const detail = event.details["detail"]
  return `${DateTime.formatIso(event.at)}  ${event.sessionId}  ${event.kind}${transition}  ${event.reason}${detail === undefined || detail === "" ? "" : ` (${detail})`}  [${event.actor}]`
}

/** `ao events`: the event log, oldest first; `-f` keeps printing what is appended. */
export const events = (input: EventsInput) =>
  Effect.gen(function* () {
    const mode = { json: input.json, action: "read the event log" }
    const session = Option.isSome(input.session)
      ? Option.some(yield* parseSessionName(input.session.value).pipe(Effect.catchAll(reportFailure(mode))))
      : Option.none<string>()
    const wanted = (event: SessionEvent) => Option.match(session, { onNone: () => true, onSome: (id) => event.sessionId === id })
    const read = Effect.fn("Events.read")(function* (after: string | undefined) {
      const log = yield* EventLog
      return yield* log.read(after === undefined ? {} : { after })
    })
    const first = yield* runUseCase(read(undefined), mode)
    const shown = first.events.filter(wanted)
    if (!input.follow) {
      if (input.json) return yield* printJson(shown.map((event) => encodeEvent(event)))
      if (shown.length === 0) return yield* Console.error("No events.")
      for (const event of shown) yield* Console.log(eventLine(event))
      return
    }
    const print = (event: SessionEvent) => Console.log(input.json ? JSON.stringify(encodeEvent(event)) : eventLine(event))
    for (const event of shown) yield* print(event)
    let cursor = first.cursor
    for (;;) {
      yield* Effect.sleep("1 second")
      const page = yield* runUseCase(read(cursor), mode)
      for (const event of page.events.filter(wanted)) yield* print(event)
      cursor = page.cursor
    }
  })

