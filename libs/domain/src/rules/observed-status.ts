import { DateTime, Duration, Option } from "effect"
import type { RuntimeSessionInfo } from "../ports/runtime"
import type { Session } from "../session"
import { isTerminal, type SessionStatus } from "../status"

/** The status a session shows now, and why. */
export interface ObservedStatus {
  readonly status: SessionStatus
  /**
   * Whether the runtime (tmux) session exists. False is the "runtime dead"
   * marker: the stored status is shown, and cleanup's Runtime-Dead criterion applies.
   */
  readonly runtimeAlive: boolean
  readonly reason: string
}

/** The later of the record's last activity and the runtime's. */
export const lastActivityOf = (session: Session, runtime: Option.Option<RuntimeSessionInfo>): DateTime.Utc =>
  Option.match(runtime, {
    onNone: () => session.lastActivityAt,
    onSome: (info) => DateTime.max(session.lastActivityAt, info.lastActivityAt)
  })

/**
 * What `ls` and `status` show: the record's status when it is final or the
 * runtime is gone, otherwise what the runtime says now (see STATUS_MEANING).
 */
export const observedStatus = (
  session: Session,
  runtime: Option.Option<RuntimeSessionInfo>,
  now: DateTime.Utc,
  idleAfter: Duration.Duration,
  /** Why its runtime server could not be asked: then the stored status is shown and nothing is judged dead. */
  runtimeUnknown?: string
): ObservedStatus => {
  const runtimeAlive = Option.isSome(runtime)
  if (isTerminal(session.status)) {
    return { status: session.status, runtimeAlive, reason: `recorded as ${session.status}: ${session.statusReason}` }
  }
  if (session.status === "spawning") return { status: "spawning", runtimeAlive, reason: "ao spawn has not finished" }
  if (runtimeUnknown !== undefined) {
    return { status: session.status, runtimeAlive: false, reason: `runtime unknown: ${runtimeUnknown}` }
  }
  if (Option.isNone(runtime)) {
    return { status: session.status, runtimeAlive: false, reason: `runtime session ${session.runtimeHandle} does not exist` }
  }
  const info = runtime.value
  if (info.paneDead) return { status: "exited", runtimeAlive, reason: "the agent command returned" }
  if (info.attachedClients > 0) {
    return { status: "active", runtimeAlive, reason: `${info.attachedClients} client(s) attached` }
  }
  const quiet = Duration.millis(DateTime.distance(lastActivityOf(session, runtime), now))
  return Duration.greaterThan(quiet, idleAfter)
    ? { status: "idle", runtimeAlive, reason: `no activity for ${Duration.format(quiet)}` }
    : { status: "working", runtimeAlive, reason: "recent activity" }
}
