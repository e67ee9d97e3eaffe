import { Context, type DateTime, type Effect, type Option } from "effect"
import type { Project } from "../project"
import type { ReviewedPullRequest } from "../watch/observation"
import type { MergeMethod } from "../watch/reaction-settings"
import type { Lookup } from "./lookup"
import type { PullRequestQuery } from "./scm"
import type { IssueInfo } from "./tracker"

/** The code host stopped answering until `resetAt`; nothing it said this pass may be acted on. */
export interface RateLimit {
  readonly _tag: "RateLimited"
  readonly resetAt: Option.Option<DateTime.Utc>
  readonly detail: string
}

/** A session's PR to read, and its issue when the code host also tracks it. */
export interface WorkQuery extends PullRequestQuery {
  readonly issueId: Option.Option<string>
}

/** A session's PR and issue as the code host has them; the issue is Absent when none was asked for. */
export interface ObservedWork {
  readonly pr: Lookup<ReviewedPullRequest>
  readonly issue: Lookup<IssueInfo>
}

/** What the watcher reads and does on the code host: PR, CI and review state, issue state, and merges. */
export class CodeReview extends Context.Tag("@ao/domain/CodeReview")<
  CodeReview,
  {
    /**
     * Every queried session's PR with its checks, reviews and mergeability,
     * keyed by session id: one request per repository (split at 100 sessions).
     * Fails only when the host is rate limited.
     */
    readonly reviews: (
      project: Project,
      queries: ReadonlyArray<PullRequestQuery>
    ) => Effect.Effect<ReadonlyMap<string, Lookup<ReviewedPullRequest>>, RateLimit>
    /**
     * `reviews`, plus each session's issue state where the project's tracker
     * is the same code host, in the same one request per repository.
     */
    readonly observe: (project: Project, queries: ReadonlyArray<WorkQuery>) => Effect.Effect<ReadonlyMap<string, ObservedWork>, RateLimit>
    /** The failing job's log as text; none when the host serves none (a commit status, an expired log, an error). */
    readonly jobLog: (project: Project, logId: string) => Effect.Effect<Option.Option<string>>
    /** Merges the PR only while its head is still `headSha`; the reason in words when refused. */
    readonly merge: (
      project: Project,
      request: { readonly number: number; readonly method: MergeMethod; readonly headSha: string }
    ) => Effect.Effect<void, { readonly _tag: "MergeRefused"; readonly reason: string } | RateLimit>
  }
>() {}
