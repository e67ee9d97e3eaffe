import { Data, DateTime, Duration, Option } from "effect"

/**
 * Why a GitHub request did not answer. These stay inside the adapter: each is
 * turned into a short sentence (`Lookup.unknown(reason)` or TrackerUnavailable)
 * and never into a verdict. The `cause` is kept for debugging and is never
 * rendered — octokit already redacts the Authorization header in it.
 */

export class GitHubRateLimited extends Data.TaggedError("GitHubRateLimited")<{
  /** When the primary limit's window resets (`x-ratelimit-reset`). */
  readonly resetAt: Option.Option<DateTime.Utc>
  /** How long a secondary limit asks to wait (`retry-after`). */
  readonly retryAfter: Option.Option<Duration.Duration>
  readonly cause: unknown
}> {}

export class GitHubUnauthorized extends Data.TaggedError("GitHubUnauthorized")<{ readonly cause: unknown }> {}

export class GitHubForbidden extends Data.TaggedError("GitHubForbidden")<{
  /** GitHub's own explanation (its `message` field). */
  readonly detail: string
  readonly cause: unknown
}> {}

export class GitHubNotFound extends Data.TaggedError("GitHubNotFound")<{ readonly cause: unknown }> {}

export class GitHubServerError extends Data.TaggedError("GitHubServerError")<{
  readonly status: number
  readonly attempts: number
  readonly cause: unknown
}> {}

export class GitHubTimeout extends Data.TaggedError("GitHubTimeout")<{ readonly after: Duration.Duration }> {}

export class GitHubUnreachable extends Data.TaggedError("GitHubUnreachable")<{
  readonly apiUrl: string
  readonly detail: string
  readonly attempts: number
  readonly cause: unknown
}> {}

/** GitHub answered, but not in a shape this adapter understands. */
export class GitHubUnexpectedAnswer extends Data.TaggedError("GitHubUnexpectedAnswer")<{
  readonly detail: string
  readonly cause: unknown
}> {}

export type GitHubFailure =
  | GitHubRateLimited
  | GitHubUnauthorized
  | GitHubForbidden
  | GitHubNotFound
  | GitHubServerError
  | GitHubTimeout
  | GitHubUnreachable
  | GitHubUnexpectedAnswer

/** 5xx and network errors may pass; everything else would only fail again. */
export const isTransient = (failure: GitHubFailure): boolean =>
  failure._tag === "GitHubServerError" || failure._tag === "GitHubUnreachable"

const clockTime = (at: DateTime.Utc): string => DateTime.formatIso(at).slice(11, 16)

/** One sentence a user can act on; `repo` names what was asked about. */
export const describeGitHubFailure = (failure: GitHubFailure, repo: string): string => {
  switch (failure._tag) {
    case "GitHubRateLimited":
      return Option.match(failure.retryAfter, {
        onSome: (wait) => `GitHub rate limit exceeded; try again in ${Duration.format(wait)}`,
        onNone: () =>
          Option.match(failure.resetAt, {
            onNone: () => "GitHub rate limit exceeded; try again in a few minutes",
            onSome: (at) => `GitHub rate limit exceeded; resets at ${clockTime(at)} UTC`
          })
      })
    case "GitHubUnauthorized":
      return "GitHub rejected the token (401 Bad credentials); check GITHUB_TOKEN or GH_TOKEN, or run: gh auth login"
    case "GitHubForbidden":
      return `GitHub refused access to ${repo} (403: ${failure.detail})`
    case "GitHubNotFound":
      return `GitHub repository ${repo} not found, or the token cannot see it`
    case "GitHubServerError":
      return `GitHub returned ${failure.status} after ${failure.attempts} attempt${failure.attempts === 1 ? "" : "s"}`
    case "GitHubTimeout":
      return `GitHub did not answer within ${Duration.format(failure.after)}`
    case "GitHubUnreachable":
      return `could not reach GitHub at ${failure.apiUrl} after ${failure.attempts} attempt${failure.attempts === 1 ? "" : "s"} (${failure.detail})`
    case "GitHubUnexpectedAnswer":
      return `GitHub answered in an unexpected way: ${failure.detail}`
  }
}
