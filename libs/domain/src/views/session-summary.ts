import { Duration, Option, Schema } from "effect"
import type { BrokenSessionRecord } from "../ports/session-store"
import { ActivitySource, ActivityState } from "../activity"
import type { Activity } from "../rules/activity-state"
import { PullRequestState } from "../session"
import { SessionStatus } from "../status"
import type { SessionList, SessionView } from "../use-cases/results"
import { IsoTimestamp, isoTimestamp, orNull } from "./iso-timestamp"
import { UncheckedLookupView, uncheckedLookupView } from "./warning-view"

export const PullRequestView = Schema.Struct({
  url: Schema.String,
  number: Schema.Number,
  state: PullRequestState
}).annotations({ identifier: "PullRequest" })

/** What the agent is doing: the state, since when, from which evidence (hook, screen, runtime), and which tool or question. */
export const ActivityView = Schema.Struct({
  state: ActivityState,
  since: IsoTimestamp,
  source: ActivitySource,
  detail: Schema.NullOr(Schema.String),
  reason: Schema.String
}).annotations({ identifier: "Activity" })
export type ActivityView = typeof ActivityView.Type

export const activityView = (activity: Activity): ActivityView => ({
  state: activity.state,
  since: isoTimestamp(activity.since),
  source: activity.source,
  detail: orNull(activity.detail),
  reason: activity.reason
})

/** One session as `ls --json`, `status --json` and the HTTP API show it. */
export const SessionSummary = Schema.Struct({
  name: Schema.String,
  project: Schema.String,
  projectName: Schema.String,
  issue: Schema.NullOr(Schema.String),
  /** The live branch of the worktree. */
  branch: Schema.String,
  /** The observed status. */
  status: SessionStatus,
  statusReason: Schema.String,
  activity: ActivityView,
  /** False: the tmux session no longer exists. */
  runtimeAlive: Schema.Boolean,
  /** Why the session's tmux server could not be asked (then `runtimeAlive` false means "not known"), else null. */
  runtimeUnknown: Schema.NullOr(Schema.String),
  pr: Schema.NullOr(PullRequestView),
  workspacePath: Schema.String,
  runtimeHandle: Schema.String,
  agent: Schema.String,
  createdAt: IsoTimestamp,
  lastActivity: IsoTimestamp,
  ageSeconds: Schema.Number,
  /** Lookups that could not answer (GitHub unreachable, a bad token, …): `pr` or `issue` may be out of date. */
  warnings: Schema.Array(UncheckedLookupView),
  broken: Schema.Literal(false)
}).annotations({ identifier: "SessionSummary" })
export type SessionSummary = typeof SessionSummary.Type

/** One session as `GET /api/sessions/{name}` shows it: the summary plus the agent's last message (see StatusRow). */
export const SessionDetail = Schema.Struct({
  ...SessionSummary.fields,
  /** The agent's last message in its transcript, cut to one line; null when the agent keeps no transcript ao can read. */
  summary: Schema.NullOr(Schema.String)
}).annotations({ identifier: "SessionDetail" })
export type SessionDetail = typeof SessionDetail.Type

/** An unreadable session file: listed, never hidden, and still killable. */
export const BrokenSessionSummary = Schema.Struct({
  name: Schema.String,
  project: Schema.NullOr(Schema.String),
  status: Schema.Literal("unreadable"),
  path: Schema.String,
  problem: Schema.String,
  workspacePath: Schema.NullOr(Schema.String),
  broken: Schema.Literal(true)
}).annotations({ identifier: "BrokenSessionSummary" })
export type BrokenSessionSummary = typeof BrokenSessionSummary.Type

/** `ao session ls --json`: a top-level array, broken records last. */
export const SessionListView = Schema.Array(Schema.Union(SessionSummary, BrokenSessionSummary)).annotations({
  identifier: "SessionList"
})
export type SessionListView = typeof SessionListView.Type

export const sessionSummary = (view: SessionView): SessionSummary => ({
  name: view.session.id,
  project: view.session.projectId,
  projectName: view.projectName,
  issue: orNull(view.session.issueId),
  branch: view.branchDisplay,
  status: view.status,
  statusReason: view.session.statusReason,
  activity: activityView(view.activity),
  runtimeAlive: view.runtimeAlive,
  runtimeUnknown: orNull(view.runtimeUnknown),
  pr: orNull(Option.map(view.pr, (pr) => ({ url: pr.url, number: pr.number, state: pr.state }))),
  workspacePath: view.session.workspacePath,
  runtimeHandle: view.session.runtimeHandle,
  agent: view.session.agent,
  createdAt: isoTimestamp(view.session.createdAt),
  lastActivity: isoTimestamp(view.lastActivityAt),
  ageSeconds: Math.floor(Duration.toSeconds(view.age)),
  warnings: view.unchecked.map(uncheckedLookupView),
  broken: false
})

export const brokenSessionSummary = (record: BrokenSessionRecord): BrokenSessionSummary => ({
  name: record.id,
  project: record.salvage.projectId ?? null,
  status: "unreadable",
  path: record.path,
  problem: record.problem,
  workspacePath: record.salvage.workspacePath ?? null,
  broken: true
})

export const sessionListView = (list: SessionList): SessionListView => [
  ...list.sessions.map(sessionSummary),
  ...list.broken.map(brokenSessionSummary)
]
