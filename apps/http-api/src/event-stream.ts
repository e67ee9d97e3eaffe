import { EventLog, type EventLogFailed, type EventPage, InvalidInput, ProjectId, SessionEvent, SessionName } from "@ao/domain"
import { type Duration, Effect, Option, Schema } from "effect"

/**
 * The session event feed behind `GET /api/events`: it follows the event log
 * from a cursor, so a dashboard or a bot learns what happened (spawned,
 * status changed, killed, restored, cleaned, …) without polling the API.
 * Each SSE event carries the log's cursor as its id, so a reconnecting
 * client (Last-Event-ID) resumes exactly where it stopped.
 */

export const EventStreamQuery = Schema.Struct({
  after: Schema.optional(
    Schema.String.pipe(Schema.pattern(/^[\x21-\x7e]{1,200}$/)).annotations({
      description: "Resume after this cursor (an event's id); Last-Event-ID wins when both are sent"
    })
  ),
  replay: Schema.optional(
    Schema.Literal("true", "false").annotations({ description: "Without a cursor: send the whole log first (default: only new events)" })
  ),
  project: Schema.optional(ProjectId.annotations({ description: "Only events of this project" })),
  session: Schema.optional(SessionName.annotations({ description: "Only events of this session" }))
})
export type EventStreamQuery = typeof EventStreamQuery.Type

const encodeEvent = Schema.encode(SessionEvent)

/** How many events one read of the log returns at most. */
const PAGE_SIZE = 500

const readPage = (after: string | undefined) =>
  Effect.flatMap(EventLog, (log) => log.read(after === undefined ? { limit: PAGE_SIZE } : { after, limit: PAGE_SIZE }))

/** The cursor at the end of the log: new events only. */
const tailCursor = Effect.gen(function* () {
  let page = yield* readPage(undefined)
  while (page.events.length === PAGE_SIZE) page = yield* readPage(page.cursor)
  return page.cursor
})

/**
 * Where following starts: the client's cursor (checked by reading from it),
 * the start of the log on replay, or its end. A cursor the log cannot read
 * from was given by the client, so it is reported as their input.
 */
export const startCursor = (
  query: EventStreamQuery,
  lastEventId: string | undefined
): Effect.Effect<string | undefined, InvalidInput | EventLogFailed, EventLog> => {
  const given = lastEventId ?? query.after
  if (given === undefined) return query.replay === "true" ? Effect.succeed(undefined) : tailCursor
  return readPage(given).pipe(
    Effect.as(given),
    Effect.catchTag("EventLogFailed", (error) =>
      Effect.fail(
        new InvalidInput({
          field: lastEventId === undefined ? "after" : "Last-Event-ID",
          input: given.slice(0, 120),
          reason: `the event log cannot resume from it (${error.detail})`
        })
      )
    )
  )
}

export interface StreamMessage {
  readonly event: string
  readonly data: string
  readonly id?: string
}

const matches = (query: EventStreamQuery) => (event: SessionEvent): boolean =>
  (query.project === undefined || event.projectId === query.project) &&
  (query.session === undefined || event.sessionId === query.session)

/** Writes one page; only its last message carries the cursor, which is what a client resumes from. */
const emitPage = (page: EventPage, query: EventStreamQuery, emit: (message: StreamMessage) => Effect.Effect<void>) =>
  Effect.gen(function* () {
    const wanted = page.events.filter(matches(query))
    for (const [index, event] of wanted.entries()) {
      const data = JSON.stringify(yield* Effect.orDie(encodeEvent(event)))
      yield* emit(index === wanted.length - 1 ? { event: event.kind, data, id: page.cursor } : { event: event.kind, data })
    }
  })

/**
 * Sends `ready` with the starting cursor (so a client knows the feed is
 * live), then every matching event as it is appended, until interrupted.
 */
export const followEvents = (options: {
  readonly query: EventStreamQuery
  readonly start: string | undefined
  readonly pollInterval: Duration.DurationInput
  readonly emit: (message: StreamMessage) => Effect.Effect<void>
}) =>
  Effect.gen(function* () {
    const { query, emit } = options
    yield* emit({ event: "ready", data: JSON.stringify({ cursor: options.start ?? null }) })
    let cursor = Option.fromNullable(options.start)
    while (true) {
      const page = yield* readPage(Option.getOrUndefined(cursor))
      yield* emitPage(page, query, emit)
      cursor = Option.some(page.cursor)
      // A full page means more is waiting: read on at once.
      if (page.events.length < PAGE_SIZE) yield* Effect.sleep(options.pollInterval)
    }
  })

/** The stream as the router and the OpenAPI document see it. */
export const EVENTS_ROUTE = {
  path: "/api/events",
  operationId: "followEvents",
  summary:
    "Server-sent events: `ready` with the starting cursor, then one event per session event (named by its kind, its id the cursor to resume from)",
  query: EventStreamQuery,
  event: SessionEvent,
  errors: ["InvalidInput", "EventLogFailed"]
} as const
