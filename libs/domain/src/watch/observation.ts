import type { DateTime } from "effect"
import type { Activity } from "../rules/activity-state"
import type { Lookup } from "../ports/lookup"
import type { IssueInfo } from "../ports/tracker"
import type { PullRequestState, Session } from "../session"

/** The combined state of a commit's checks and statuses; `none` when nothing reports on it. */
export type CheckRollup = "pending" | "success" | "failure" | "none"

/** A check run or commit status that failed, with where to read about it. */
export interface FailingCheck {
  readonly name: string
  readonly url: string
  /** The end of the failing job's log, where the code host serves it. */
  readonly logExcerpt?: string
  /** What the code host's job log is fetched by (a GitHub Actions job id); absent for commit statuses. */
  readonly logId?: string
}

export type ReviewDecision = "approved" | "changes-requested" | "review-required" | "none"

/** A review that asked for changes. */
export interface ChangeRequest {
  readonly id: string
  readonly author: string
  readonly body: string
}

/** An unresolved review thread, keyed by its latest comment (a new reply is a new trigger). */
export interface ReviewThread {
  readonly commentId: string
  readonly author: string
  readonly path: string
  readonly line: number | null
  readonly body: string
}

export type Mergeability = "mergeable" | "conflicting" | "unknown"

/** Everything the watcher reads about one session's pull request, in one request per repository. */
export interface ReviewedPullRequest {
  readonly number: number
  readonly url: string
  readonly state: PullRequestState
  readonly headSha: string
  readonly baseRef: string
  readonly baseSha: string
  readonly checks: CheckRollup
  readonly failingChecks: ReadonlyArray<FailingCheck>
  readonly reviewDecision: ReviewDecision
  readonly changeRequests: ReadonlyArray<ChangeRequest>
  readonly unresolvedThreads: ReadonlyArray<ReviewThread>
  readonly mergeable: Mergeability
}

/** One active session as a watch pass saw it. */
export interface ObservedSession {
  readonly session: Session
  readonly activity: Activity
  /** Unknown (rate limit, outage) is no evidence: nothing about the PR is acted on. */
  readonly pr: Lookup<ReviewedPullRequest>
  /** The session's issue, where the code host tracks it; Absent otherwise. */
  readonly issue?: Lookup<IssueInfo>
}

export interface FleetObservation {
  readonly now: DateTime.Utc
  readonly sessions: ReadonlyArray<ObservedSession>
}
