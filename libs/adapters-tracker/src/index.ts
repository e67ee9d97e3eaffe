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
 * `NoTrackerLive`: for configurations without GitHub (no issues, no PRs).
 */
import type { Scm, Tracker } from "@ao/domain"
import { Duration, Layer } from "effect"
import { GitHubClientLive } from "./github-client"
import { GitHubScmLive } from "./github-scm"
import { ghHostOf } from "./github-token"
import { GitHubTrackerLive } from "./github-tracker"
import { PullRequestCacheLive } from "./pull-request-cache"

export { GitHubClient, GitHubClientLive, type GitHubClientOptions, type GraphqlAnswer } from "./github-client"
export * from "./github-failure"
export { GitHubScmLive } from "./github-scm"
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
}

export const makeGitHubLayer = (options: GitHubLayerOptions): Layer.Layer<Tracker | Scm> => {
  const apiUrl = (options.apiUrl ?? options.env["GITHUB_API_URL"] ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, "")
  const client = GitHubClientLive({
    apiUrl,
    token: { env: options.env, ghCommand: options.ghCommand === undefined ? "gh" : options.ghCommand, host: ghHostOf(apiUrl) },
    timeout: Duration.decode(options.timeout ?? "10 seconds"),
    attempts: Math.max(options.attempts ?? 3, 1),
    backoff: Duration.decode(options.backoff ?? "500 millis")
  })
  const cache = PullRequestCacheLive({
    dir: options.cacheDir,
    ttl: options.ttl ?? PULL_REQUEST_TTL,
    missTtl: options.missTtl ?? NO_PULL_REQUEST_TTL
  })
  return Layer.merge(GitHubTrackerLive, GitHubScmLive).pipe(Layer.provide(Layer.merge(client, cache)))
}
