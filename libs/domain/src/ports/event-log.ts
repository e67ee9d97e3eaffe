import { Context, type Effect } from "effect"
import type { EventLogFailed } from "../errors"
import type { NewSessionEvent, SessionEvent } from "../events"

export interface EventPage {
  readonly events: ReadonlyArray<SessionEvent>
  /** Each event's own cursor, in step with `events`: passed back as `after`, reading resumes just past that event. */
  readonly cursors: ReadonlyArray<string>
  /** Pass back as `after` to read what was appended since. */
  readonly cursor: string
}

/** The append-only audit of every state change and destructive step. */
export class EventLog extends Context.Tag("@ao/domain/EventLog")<
  EventLog,
  {
    readonly append: (event: NewSessionEvent) => Effect.Effect<void, EventLogFailed>
    /** Events after `after` (from the start when absent), oldest first. */
    readonly read: (options: { readonly after?: string; readonly limit?: number }) => Effect.Effect<EventPage, EventLogFailed>
  }
>() {}
