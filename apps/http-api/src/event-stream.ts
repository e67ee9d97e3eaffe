import { EventLog, type EventLogFailed, InvalidInput, ProjectId, SessionEvent, SessionName } from "@ao/domain"
import { Effect, Schema } from "effect"

/**
 * The session event feed behind `GET /api/events`: it follows the event log
 * from a cursor, so a dashboard or a bot learns what happened (spawned,
 * status changed, killed, restored, cleaned, …) without polling the API.
 * Every SSE event carries its own cursor as its id, so a reconnecting
 * client (Last-Event-ID) resumes exactly after the last event it got.
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

const encodeEvent = Schema.encodeSync(SessionEvent)

/** How many events one read of the log returns at most. */
const PAGE_SIZE = 500

/** Where a stream starts: after a cursor, at the start of the log (replay), or at its end (new events only). */
export type StreamStart = { readonly _tag: "After"; readonly cursor: string } | { readonly _tag: "Beginning" } | { readonly _tag: "Tail" }

/**
 * Where following starts. A cursor the client gives is checked by reading
 * from it once; one the log cannot read from is reported as their input.
 */
export const startCursor = (
  query: EventStreamQuery,
  lastEventId: string | undefined
): Effect.Effect<StreamStart, InvalidInput | EventLogFailed, EventLog> => {
  const given = lastEventId ?? query.after
  if (given === undefined) return Effect.succeed(query.replay === "true" ? { _tag: "Beginning" } : { _tag: "Tail" })
  return Effect.flatMap(EventLog, (log) => log.read({ after: given, limit: 1 })).pipe(
    Effect.as<StreamStart>({ _tag: "After", cursor: given }),
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

const matches = (query: EventStreamQuery, event: SessionEvent): boolean =>
  (query.project === undefined || event.projectId === query.project) &&
  (query.session === undefined || event.sessionId === query.session)

/** One event as an SSE message whose id is the event's own cursor. */
const messageOf = (event: SessionEvent, cursor: string): StreamMessage => ({
  event: event.kind,
  data: JSON.stringify(encodeEvent(event)),
  id: cursor
})

/** What a stream receives from the hub: messages, or the end (with a last message saying why, if any). */
export interface Subscriber {
  readonly query: EventStreamQuery
  readonly start: StreamStart
  readonly deliver: (message: StreamMessage) => void
  readonly end: (last: StreamMessage | undefined) => void
}

interface Member {
  readonly subscriber: Subscriber
  /** Caught up beyond the hub's cursor (a client cursor ahead of it): skip through this cursor. */
  skipThrough: string | undefined
}

/** What a watcher of the log tells the hub: lines were appended, or the file was truncated or replaced (read it from its start). */
export type LogChange = "appended" | "replaced"

/**
 * The one reader of the event log. Every stream subscribes here; the hub
 * reads what was appended since its cursor when it is told the log changed
 * (`changes`: the file is watched), or once per poll interval when nothing
 * can tell it, and at once when a stream joins. It hands each event to every
 * stream that wants it, so a thousand streams cost one read, not a thousand,
 * and while no stream is open or nothing changes it reads nothing. A
 * joining stream that resumes from an older cursor is caught up by the hub
 * itself, up to the hub's cursor, so no event is sent twice or skipped.
 */
export class EventHub {
  private readonly members = new Set<Member>()
  private joining: Array<Subscriber> = []
  /** Just past the last event the hub has handed out; undefined before the first read, or after the log was replaced. */
  private cursor: string | undefined
  /** The first read only finds the end of the log; after it, everything read is handed out. */
  private started = false
  /** The log may have grown since the last read. */
  private dirty = false
  /** The log was truncated or replaced: the next read starts at its beginning. */
  private replaced = false
  private wake: (() => void) | undefined
  private readonly done: Promise<void>

  constructor(
    private readonly options: {
      readonly read: <A>(effect: Effect.Effect<A, EventLogFailed, EventLog>) => Promise<A>
      /** Subscribes the hub to the log's changes; without it the hub reads every `pollIntervalMillis` while a stream is open. */
      readonly changes?: (changed: (change: LogChange) => void) => void
      readonly pollIntervalMillis: number
      readonly shutdown: AbortSignal
      readonly errorMessage: (error: unknown) => StreamMessage
    }
  ) {
    options.shutdown.addEventListener("abort", () => this.wake?.(), { once: true })
    options.changes?.((change) => {
      if (change === "replaced") this.replaced = true
      this.dirty = true
      this.wake?.()
    })
    this.done = this.loop()
  }

  get size(): number {
    return this.members.size + this.joining.length
  }

  /** Joins at the next turn of the hub (which comes at once); returns how to leave. */
  subscribe(subscriber: Subscriber): () => void {
    if (this.options.shutdown.aborted) {
      subscriber.end(undefined)
      return () => {}
    }
    this.joining.push(subscriber)
    this.wake?.()
    return () => {
      this.joining = this.joining.filter((waiting) => waiting !== subscriber)
      for (const member of this.members) if (member.subscriber === subscriber) this.members.delete(member)
    }
  }

  /**
   * Hands a message that is not in the event log (an agent's activity
   * changed) to every joined stream that follows `sessionId`. It carries
   * no id, so a client's Last-Event-ID stays on the last logged event.
   */
  broadcast(sessionId: string, message: Omit<StreamMessage, "id">): void {
    for (const member of this.members) {
      const { query } = member.subscriber
      if (query.session === undefined || query.session === sessionId) member.subscriber.deliver(message)
    }
  }

  /** Resolves once the hub has stopped (after shutdown) and every stream was ended. */
  stopped(): Promise<void> {
    return this.done
  }

  private async loop(): Promise<void> {
    const { shutdown } = this.options
    while (!shutdown.aborted) {
      if (this.joining.length > 0 || (this.dirty && this.members.size > 0)) {
        this.dirty = false
        await this.turn()
        continue
      }
      await new Promise<void>((resolve) => {
        // Watched: sleep until told. Not watched: look again after the interval, but only for open streams.
        const timer =
          this.options.changes === undefined && this.members.size > 0
            ? setTimeout(() => {
                this.dirty = true
                resolve()
              }, this.options.pollIntervalMillis)
            : undefined
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wake = undefined
    }
    for (const member of this.members) member.subscriber.end(undefined)
    for (const subscriber of this.joining) subscriber.end(undefined)
    this.members.clear()
    this.joining = []
  }

  /** Hands out what was appended, then admits the joining streams; a failed read ends every stream with the error. */
  private async turn(): Promise<void> {
    const joining = this.joining
    this.joining = []
    try {
      await this.advance()
      while (joining.length > 0) await this.admit(joining.shift()!)
    } catch (error) {
      // The log could not be read: every stream ends with the error; clients reconnect from their last id.
      const message = this.options.errorMessage(error)
      for (const member of this.members) member.subscriber.end(message)
      for (const subscriber of joining) subscriber.end(message)
      this.members.clear()
    }
  }

  /** Reads everything appended since the hub's cursor and hands it out (the very first read only finds the end). */
  private async advance(): Promise<void> {
    if (this.replaced) {
      // Offsets into the old file mean nothing in the new one: read it whole, and skip nothing.
      this.replaced = false
      this.cursor = undefined
      for (const member of this.members) member.skipThrough = undefined
    }
    const findEndOnly = !this.started
    while (true) {
      const page = await this.options.read(this.readPage(this.cursor))
      if (!findEndOnly) {
        for (const [index, event] of page.events.entries()) {
          const cursor = page.cursors[index]!
          let message: StreamMessage | undefined
          for (const member of this.members) {
            if (member.skipThrough !== undefined) {
              if (member.skipThrough === cursor) member.skipThrough = undefined
              continue
            }
            if (!matches(member.subscriber.query, event)) continue
            message ??= messageOf(event, cursor)
            member.subscriber.deliver(message)
          }
        }
      }
      this.cursor = page.cursor
      if (page.events.length < PAGE_SIZE) break
    }
    this.started = true
  }

  /** `ready`, then the events between the stream's start and the hub's cursor; from then on it gets what everyone gets. */
  private async admit(subscriber: Subscriber): Promise<void> {
    const hub = this.cursor
    const { start } = subscriber
    const from = start._tag === "Tail" ? hub : start._tag === "After" ? start.cursor : undefined
    subscriber.deliver({ event: "ready", data: JSON.stringify({ cursor: from ?? null }) })
    const member: Member = { subscriber, skipThrough: undefined }
    if (from !== hub) {
      let position = from
      let lastSeen: string | undefined
      while (true) {
        const page = await this.options.read(this.readPage(position))
        for (const [index, event] of page.events.entries()) {
          lastSeen = page.cursors[index]!
          if (matches(subscriber.query, event)) subscriber.deliver(messageOf(event, lastSeen))
        }
        position = page.cursor
        if (page.events.length < PAGE_SIZE) break
      }
      // Read past the hub's cursor (appended meanwhile, or the client's cursor was ahead): the hub's
      // next read must not hand those events to this stream again.
      if (position !== hub) member.skipThrough = lastSeen ?? from
    }
    this.members.add(member)
  }

  private readPage(after: string | undefined) {
    return Effect.flatMap(EventLog, (log) => log.read(after === undefined ? { limit: PAGE_SIZE } : { after, limit: PAGE_SIZE }))
  }
}

/** The stream as the router and the OpenAPI document see it. */
export const EVENTS_ROUTE = {
  path: "/api/events",
  operationId: "followEvents",
  summary:
    "Server-sent events: `ready` with the starting cursor, then one event per session event (named by its kind, its id its own cursor to resume from); comments as heartbeats",
  query: EventStreamQuery,
  event: SessionEvent,
  errors: ["InvalidInput", "EventLogFailed"],
  resumable: true
} as const
