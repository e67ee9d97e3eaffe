import type { PullRequestReview } from "./pull-request-review"

/**
 * What the emulated GitHub holds (repositories, issues, pull requests) and how
 * it is told to misbehave. Tests drive it directly or over the admin routes.
 */

export type IssueStateReason = "completed" | "not_planned" | "duplicate"

export interface EmulatedComment {
  readonly author: string
  readonly body: string
  readonly createdAt: string
}

export interface EmulatedIssue {
  readonly number: number
  readonly title: string
  readonly state: "open" | "closed"
  readonly stateReason: IssueStateReason | null
  readonly body?: string
  readonly labels?: ReadonlyArray<string>
  /** Oldest first. */
  readonly comments?: ReadonlyArray<EmulatedComment>
}

export interface EmulatedPullRequest {
  readonly number: number
  readonly title: string
  /** The head branch (`headRefName`). */
  readonly head: string
  readonly base: string
  readonly state: "open" | "closed" | "merged"
}

export type EmulatedFailure =
  /** Primary rate limit exhausted until `resetAt`; healed by itself then. */
  | { readonly kind: "rate-limited"; readonly resetAt: Date }
  /** A secondary (abuse) limit: 403 with `retry-after`, the primary limit untouched. */
  | { readonly kind: "secondary-rate-limited"; readonly retryAfterSeconds: number }
  /** Every token is rejected with 401 Bad credentials. */
  | { readonly kind: "unauthorized" }
  /** Answers `status` (default 500); for the next `times` requests only, when given. */
  | { readonly kind: "server-error"; readonly status?: number; readonly times?: number }
  /** Holds every answer back by `delayMs`. */
  | { readonly kind: "slow"; readonly delayMs: number }

export interface Repository {
  readonly owner: string
  readonly name: string
  readonly private: boolean
  readonly issues: Map<number, EmulatedIssue>
  readonly pullRequests: Map<number, EmulatedPullRequest>
}

export interface ServedRequest {
  readonly method: string
  readonly path: string
  readonly status: number
}

export interface EmulatorOptions {
  /** When set, only this token is accepted; any other is answered 401 Bad credentials. */
  readonly token?: string
  /** Where `html_url`/`url` of issues and PRs point (github.com on the real thing). */
  readonly webUrl?: string
}

export class EmulatorState {
  readonly repositories = new Map<string, Repository>()
  /** Checks, reviews and mergeability of pull requests, by `owner/name#number` (see pull-request-review.ts). */
  readonly pullRequestReviews = new Map<string, PullRequestReview>()
  /** Every merge made through the merge endpoint, oldest first. */
  readonly merges: Array<{ readonly slug: string; readonly number: number; readonly method: string; readonly sha: string }> = []
  failure: EmulatedFailure | null = null
  readonly served: Array<ServedRequest> = []
  /** Requests left in each rate-limit window, by resource. */
  readonly remaining = new Map<string, number>()
  readonly webUrl: string

  constructor(readonly options: EmulatorOptions) {
    this.webUrl = (options.webUrl ?? "https://github.com").replace(/\/$/, "")
  }

  repository(slug: string): Repository | undefined {
    return this.repositories.get(slug.toLowerCase())
  }

  /** The repository, created (public) on first mention. */
  ensureRepository(slug: string, options: { readonly private?: boolean } = {}): Repository {
    const existing = this.repository(slug)
    if (existing !== undefined) return existing
    const [owner, name] = slug.split("/")
    if (owner === undefined || name === undefined || owner === "" || name === "") {
      throw new Error(`A repository is written owner/name, got ${JSON.stringify(slug)}`)
    }
    const created: Repository = { owner, name, private: options.private ?? false, issues: new Map(), pullRequests: new Map() }
    this.repositories.set(slug.toLowerCase(), created)
    return created
  }

  issueUrl(repository: Repository, number: number): string {
    return `${this.webUrl}/${repository.owner}/${repository.name}/issues/${number}`
  }

  pullRequestUrl(repository: Repository, number: number): string {
    return `${this.webUrl}/${repository.owner}/${repository.name}/pull/${number}`
  }

  reset(): void {
    this.repositories.clear()
    this.pullRequestReviews.clear()
    this.merges.length = 0
    this.failure = null
    this.served.length = 0
    this.remaining.clear()
  }
}
