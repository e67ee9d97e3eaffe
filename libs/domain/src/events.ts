import { Schema } from "effect"
import { SessionStatus } from "./status"

/** What happened to a session; every state change and destructive step is one. */
export const SessionEventKind = Schema.Literal(
  "spawned",
  "spawn-rolled-back",
  "status-changed",
  "runtime-started",
  "runtime-killed",
  "snapshot-taken",
  "worktree-created",
  "worktree-removed",
  "worktree-recreated",
  "killed",
  "restored",
  "cleaned",
  "message-sent",
  "key-sent",
  "record-discarded",
  "superseded",
  "pr-discovered",
  "reaction-sent",
  "reaction-queued",
  "reaction-failed",
  "notified",
  "escalated",
  "auto-merged"
)
export type SessionEventKind = typeof SessionEventKind.Type

/**
 * One line of the append-only audit log: who (actor), what (kind, details),
 * why (reason) and when (at). Details hold e.g. the git HEAD a removal took
 * away and the snapshot ref that keeps its uncommitted work.
 */
export class SessionEvent extends Schema.Class<SessionEvent>("SessionEvent")({
  at: Schema.DateTimeUtc,
  sessionId: Schema.String,
  projectId: Schema.NullOr(Schema.String),
  kind: SessionEventKind,
  from: Schema.NullOr(SessionStatus),
  to: Schema.NullOr(SessionStatus),
  reason: Schema.String,
  /** Who acted: `cli:<pid>`, `api:<pid>`, … — stamped by the event log adapter. */
  actor: Schema.String,
  details: Schema.Record({ key: Schema.String, value: Schema.String })
}) {}

/** An event as a use case records it; the event log stamps the actor. */
export type NewSessionEvent = Omit<SessionEvent, "actor">
