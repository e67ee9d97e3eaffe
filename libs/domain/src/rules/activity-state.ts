import { DateTime, Duration, Option } from "effect"
import type { ActivityReport, ActivitySource, ActivityState, ReportedState } from "../activity"
import type { RuntimeSessionInfo } from "../ports/runtime"
import type { Session } from "../session"
import { isTerminal } from "../status"
import { lastActivityOf } from "./observed-status"

/** The state a session shows, since when, from which evidence, and why. */
export interface Activity {
  readonly state: ActivityState
  readonly since: DateTime.Utc
  readonly source: ActivitySource
  /** Which tool a permission prompt is about, what was asked, which tool runs. */
  readonly detail: Option.Option<string>
  readonly reason: string
}

/** What the agent's hooks say now, folded from its activity log. */
export interface HookEvidence {
  readonly state: ReportedState
  /** When the agent entered this state. */
  readonly since: DateTime.Utc
  /** The latest report (of this state): hooks firing are activity too. */
  readonly lastReportAt: DateTime.Utc
  readonly detail: Option.Option<string>
}

/** A waiting report only counts while a turn is open: after Stop or SessionEnd nobody can be asked anything. */
const endsNoTurn = (state: ReportedState) => state === "idle" || state === "exited"

/**
 * Folds a session's reports, oldest first, into its hook state. Reports from
 * before `from` (the session's spawn or restore) belong to an earlier agent
 * and are ignored, as is a `waiting` that arrives after the turn ended (a
 * Notification after Stop must not stick `waiting`).
 */
export const hookEvidence = (reports: ReadonlyArray<ActivityReport>, from: DateTime.Utc): Option.Option<HookEvidence> => {
  let current: HookEvidence | undefined
  for (const report of reports) {
    if (DateTime.lessThan(report.at, from)) continue
    if (report.state === "waiting" && current !== undefined && endsNoTurn(current.state)) continue
    current =
      current !== undefined && current.state === report.state
        ? { ...current, lastReportAt: report.at, detail: Option.fromNullable(report.detail) }
        : { state: report.state, since: report.at, lastReportAt: report.at, detail: Option.fromNullable(report.detail) }
  }
  return Option.fromNullable(current)
}

/**
 * The transcript the current agent last named in a hook, if any: reports from
 * before `from` (an earlier agent's) do not count.
 */
export const transcriptOf = (reports: ReadonlyArray<ActivityReport>, from: DateTime.Utc): Option.Option<string> =>
  Option.fromNullable(
    reports.findLast((report) => report.transcript !== undefined && !DateTime.lessThan(report.at, from))?.transcript
  )

/** The moment the session's current agent started: its spawn, or its latest restore. */
export const agentStartOf = (session: Session): DateTime.Utc =>
  Option.match(session.restoredAt, { onNone: () => session.createdAt, onSome: (at) => DateTime.max(at, session.createdAt) })

export interface ActivityEvidence {
  readonly session: Session
  /** The runtime's listing entry; none when the tmux session does not exist. */
  readonly runtime: Option.Option<RuntimeSessionInfo>
  /** The session's latest hook reports, oldest first. */
  readonly reports: ReadonlyArray<ActivityReport>
  readonly now: DateTime.Utc
  /** Quiet for longer than this, a `working` nobody confirms is no longer believed. */
  readonly idleAfter: Duration.Duration
}

const shown = (
  state: ActivityState,
  since: DateTime.Utc,
  source: ActivitySource,
  reason: string,
  detail: Option.Option<string> = Option.none()
): Activity => ({ state, since, source, detail, reason })

/**
 * THE rule for the state `ls` and `status` show. Evidence in order of precedence:
 * 1. the record: a final status (killed, done, exited) or an unfinished spawn;
 * 2. runtime dead: no tmux session, so no agent (`exited`, source runtime);
 * 3. pane dead: the agent's own process returned (`exited`, source runtime);
 * 4. waiting: a hook said a person is needed (`waiting`, source hook);
 * 5. a person attached (`active`, source runtime);
 * 6. a fresh hook state: `idle` after Stop and `exited` after SessionEnd hold
 *    until the next hook; `working` holds only while hooks or the pane showed
 *    activity within `idleAfter`, so a lost Stop cannot keep it forever;
 * 7. the screen: pane activity within `idleAfter` is `working`, else `idle`.
 */
export const activityState = ({ idleAfter, now, reports, runtime, session }: ActivityEvidence): Activity => {
  if (isTerminal(session.status)) {
    return shown(session.status, session.lastActivityAt, "runtime", `recorded as ${session.status}: ${session.statusReason}`)
  }
  if (session.status === "spawning") return shown("spawning", session.createdAt, "runtime", "ao spawn has not finished")
  if (Option.isNone(runtime)) {
    return shown("exited", session.lastActivityAt, "runtime", `runtime session ${session.runtimeHandle} does not exist`)
  }
  const pane = runtime.value
  if (pane.paneDead) return shown("exited", pane.lastActivityAt, "runtime", "the agent's process ended")
  const hooks = hookEvidence(reports, agentStartOf(session))
  if (Option.isSome(hooks) && hooks.value.state === "waiting") {
    return shown("waiting", hooks.value.since, "hook", "the agent asked for a person", hooks.value.detail)
  }
  if (pane.attachedClients > 0) {
    return shown("active", lastActivityOf(session, runtime), "runtime", `${pane.attachedClients} client(s) attached`)
  }
  const paneActivity = lastActivityOf(session, runtime)
  if (Option.isSome(hooks)) {
    const { detail, lastReportAt, since, state } = hooks.value
    if (state === "idle") return shown("idle", since, "hook", "the agent's turn ended")
    if (state === "exited") return shown("exited", since, "hook", "the agent said its session ended")
    const quiet = Duration.millis(DateTime.distance(DateTime.max(lastReportAt, paneActivity), now))
    if (Duration.lessThanOrEqualTo(quiet, idleAfter)) return shown("working", since, "hook", "the agent is busy", detail)
  }
  const quiet = Duration.millis(DateTime.distance(paneActivity, now))
  const stale = Option.isSome(hooks) ? `no hook or pane activity for ${Duration.format(quiet)}` : undefined
  return Duration.greaterThan(quiet, idleAfter)
    ? shown("idle", paneActivity, "screen", stale ?? `the pane has been quiet for ${Duration.format(quiet)}`)
    : shown("working", paneActivity, "screen", "the pane changed recently")
}
