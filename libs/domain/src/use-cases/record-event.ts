import { DateTime, Effect } from "effect"
import type { SessionEventKind } from "../events"
import { EventLog } from "../ports/event-log"
import type { SessionStatus } from "../status"

export interface EventDraft {
  readonly sessionId: string
  readonly projectId: string | null
  readonly kind: SessionEventKind
  readonly reason: string
  readonly from?: SessionStatus
  readonly to?: SessionStatus
  readonly details?: Record<string, string>
}

/** Appends one audit event, stamped with the Clock's time. */
export const recordEvent = Effect.fn("Events.record")(function* (draft: EventDraft) {
  const eventLog = yield* EventLog
  const at = yield* DateTime.now
  yield* eventLog.append({
    at,
    sessionId: draft.sessionId,
    projectId: draft.projectId,
    kind: draft.kind,
    reason: draft.reason,
    from: draft.from ?? null,
    to: draft.to ?? null,
    details: draft.details ?? {}
  })
})
