/**
 * The Tracker and Scm ports over GitHub.
 *
 * `makeGitHubLayer(options)` → `Layer<Tracker | Scm>`:
 * - `apiUrl`: `github.apiUrl` from the config; else `GITHUB_API_URL` from `env`;
 *   else https://api.github.com. Enterprise servers and test emulators plug in here.
 * - `env`: where GITHUB_TOKEN, GH_TOKEN and GITHUB_API_URL are read (the process
 *   environment in the apps); without a token `gh auth token` is asked (`ghCommand`,
 *   null to never ask); without any, public repositories are read over REST.
 * - `cacheDir`, `ttl`, `missTtl`: the disk cache `cached` PR reads (ls, status) may
 *   answer from: a found PR for `ttl` (60 s), "no PR yet" for `missTtl` (10 s).
 * - `timeout`, `attempts`, `backoff`: per-request timeout, and retries of 5xx and
 *   network failures.
 * Building the layer does no I/O; octokit is imported when GitHub is first asked.
 *
 * `makeGitHubCodeReviewLayer(options)` → `Layer<CodeReview>` for `ao watch`: every
 * session's PR with head/base SHAs, CI rollup and failing checks, reviews asking for
 * changes, unresolved threads and mergeability, one GraphQL request per repository
 * (split at 100; needs a token), and merges (`PUT …/pulls/{n}/merge` with the head SHA).
 * A rate limit fails the read with the reset time, so the watcher waits and says so;
 * `maxRequestsPerMinute` caps the requests it starts per minute (the next one waits).
 *
 * `NoTrackerLive`: for configurations without GitHub (no issues, no PRs).
 */
import type { CodeReview, Scm, Tracker } from "@ao/domain"
import { Duration, Layer } from "effect"
import { GitHubClientLive } from "./github-client"
import { GitHubCodeReviewLive } from "./github-code-review"
import { GitHubScmLive } from "./github-scm"
import { ghHostOf } from "./github-token"
import { GitHubTrackerLive } from "./github-tracker"
import { PullRequestCacheLive } from "./pull-request-cache"

export { GitHubClient, GitHubClientLive, type GitHubClientOptions, type GraphqlAnswer } from "./github-client"
export * from "./github-failure"
export { GitHubScmLive } from "./github-scm"
export { makeRequestBudget, type RequestBudget } from "./request-budget"
export { fromReviewNode, GitHubCodeReviewLive } from "./github-code-review"
export { GitHubTrackerLive } from "./github-tracker"
export { NoTrackerLive } from "./no-tracker"
export { CACHE_FILE, PullRequestCache, PullRequestCacheLive } from "./pull-request-cache"

export const DEFAULT_GITHUB_API_URL = "https://api.github.com"

/** How long `ls` and `status` reuse a found PR, and a "no PR yet" (see PullRequestCache). */
export const PULL_REQUEST_TTL: Duration.DurationInput = "60 seconds"
export const NO_PULL_REQUEST_TTL: Duration.DurationInput = "10 seconds"

export interface GitHubLayerOptions {
  readonly apiUrl?: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly ghCommand?: string | null
  readonly cacheDir: string
  readonly ttl?: Duration.DurationInput
  readonly missTtl?: Duration.DurationInput
  readonly timeout?: Duration.DurationInput
  readonly attempts?: number
  readonly backoff?: Duration.DurationInput
  /** At most this many GitHub requests start per minute; the next waits. Absent: no cap. */
  readonly maxRequestsPerMinute?: number
}

const clientLayerOf = (options: GitHubLayerOptions) => {
  const apiUrl = (options.apiUrl ?? options.env["GITHUB_API_URL"] ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, "")
  return GitHubClientLive({
    apiUrl,
    token: { env: options.env, ghCommand: options.ghCommand === undefined ? "gh" : options.ghCommand, host: ghHostOf(apiUrl) },
    timeout: Duration.decode(options.timeout ?? "10 seconds"),
    attempts: Math.max(options.attempts ?? 3, 1),
    backoff: Duration.decode(options.backoff ?? "500 millis"),
    ...(options.maxRequestsPerMinute === undefined ? {} : { maxRequestsPerMinute: options.maxRequestsPerMinute })
  })
}

export const makeGitHubLayer = (options: GitHubLayerOptions): Layer.Layer<Tracker | Scm> => {
  const client = clientLayerOf(options)
  const cache = PullRequestCacheLive({
    dir: options.cacheDir,
    ttl: options.ttl ?? PULL_REQUEST_TTL,
    missTtl: options.missTtl ?? NO_PULL_REQUEST_TTL
  })
  return Layer.merge(GitHubTrackerLive, GitHubScmLive).pipe(Layer.provide(Layer.merge(client, cache)))
}

/** The CodeReview port over GitHub (`ao watch`): PR, CI and review state in one GraphQL request per repository, and merges. */
export const makeGitHubCodeReviewLayer = (options: GitHubLayerOptions): Layer.Layer<CodeReview> =>
  GitHubCodeReviewLive.pipe(Layer.provide(clientLayerOf(options)))
