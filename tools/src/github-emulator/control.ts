import { patchReview, type PullRequestReview, type PullRequestReviewPatch } from "./pull-request-review"
import type { EmulatedFailure, EmulatedIssue, EmulatedPullRequest, EmulatorState, ServedRequest } from "./state"

/** Seeds and breaks the emulator from a test in the same process; the admin routes expose the same calls over HTTP. */
export interface GitHubEmulatorControl {
  readonly addRepository: (slug: string, options?: { readonly private?: boolean }) => void
  readonly removeRepository: (slug: string) => void
  /** Adds or replaces an issue; the repository is created on first mention. Returns its URL. */
  readonly setIssue: (
    slug: string,
    issue: Pick<EmulatedIssue, "number" | "title"> & Partial<Pick<EmulatedIssue, "state" | "stateReason" | "body" | "labels" | "comments">>
  ) => string
  /** Adds or replaces a pull request from branch `head`. Returns its URL. */
  readonly setPullRequest: (
    slug: string,
    pr: Pick<EmulatedPullRequest, "number" | "head" | "state"> & Partial<Pick<EmulatedPullRequest, "title" | "base">>
  ) => string
  /** Sets a PR's head and base SHAs, checks, statuses, reviews, threads or mergeability; the rest is kept. */
  readonly setPullRequestReview: (slug: string, number: number, patch: PullRequestReviewPatch) => PullRequestReview
  /** Merges made through the merge endpoint, oldest first. */
  readonly merges: () => ReadonlyArray<{ readonly slug: string; readonly number: number; readonly method: string; readonly sha: string }>
  /** From now on every API request meets `failure`; `null` heals it. */
  readonly fail: (failure: EmulatedFailure | null) => void
  /** API requests served so far (admin requests are not counted). */
  readonly requestCount: () => number
  readonly requests: () => ReadonlyArray<ServedRequest>
  /** Forgets every repository, failure and counted request. */
  readonly reset: () => void
}

export const makeControl = (state: EmulatorState): GitHubEmulatorControl => ({
  addRepository: (slug, options = {}) => {
    state.ensureRepository(slug, options)
  },
  removeRepository: (slug) => {
    state.repositories.delete(slug.toLowerCase())
  },
  setIssue: (slug, issue) => {
    const repository = state.ensureRepository(slug)
    const closed = issue.state === "closed"
    repository.issues.set(issue.number, {
      number: issue.number,
      title: issue.title,
      state: issue.state ?? "open",
      stateReason: closed ? (issue.stateReason ?? "completed") : null,
      ...(issue.body === undefined ? {} : { body: issue.body }),
      ...(issue.labels === undefined ? {} : { labels: issue.labels }),
      ...(issue.comments === undefined ? {} : { comments: issue.comments })
    })
    return state.issueUrl(repository, issue.number)
  },
  setPullRequest: (slug, pr) => {
    const repository = state.ensureRepository(slug)
    repository.pullRequests.set(pr.number, {
      number: pr.number,
      head: pr.head,
      state: pr.state,
      title: pr.title ?? `Work on ${pr.head}`,
      base: pr.base ?? "main"
    })
    return state.pullRequestUrl(repository, pr.number)
  },
  setPullRequestReview: (slug, number, patch) => patchReview(state, slug, number, patch),
  merges: () => [...state.merges],
  fail: (failure) => {
    state.failure = failure
  },
  requestCount: () => state.served.length,
  requests: () => [...state.served],
  reset: () => state.reset()
})
