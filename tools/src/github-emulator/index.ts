/**
 * The loopback GitHub API emulator, for tests and benchmarks.
 *
 * In process: `const { url, control, close } = await startGitHubEmulator({ port: 0, token })`;
 * point the adapter at `url` (`github.apiUrl` or GITHUB_API_URL) and seed or break it
 * through `control` (setIssue, setPullRequest, removeRepository, fail, requestCount, reset).
 *
 * As a child process: `npm run build:github-emulator -w @ao/tools`, then
 * `node tools/dist/github-emulator.mjs --port 0 [--token T]` prints its URL on the
 * first stdout line. The same control over HTTP (JSON bodies as for `control`):
 *   POST   /_emulator/repos/:owner/:repo          add a repository ({ private? })
 *   DELETE /_emulator/repos/:owner/:repo          remove it (lookups then meet NOT_FOUND / 404)
 *   POST   /_emulator/repos/:owner/:repo/issues   { number, title, state?, stateReason? } → { url }
 *   POST   /_emulator/repos/:owner/:repo/pulls    { number, head, state, title?, base? } → { url }
 *   POST   /_emulator/repos/:owner/:repo/pulls/:n/review  { headSha?, baseSha?, mergeable?: MERGEABLE|CONFLICTING|UNKNOWN,
 *                                                 checkRuns?: [{ name, status, conclusion, id, log }], statuses?: [{ context,
 *                                                 state, targetUrl }], reviews?: [{ id, author, state, body }], threads?: [{ id,
 *                                                 resolved, path, line, comments: [{ id, author, body }] }] } → the whole review state
 *   GET    /_emulator/merges                      merges made through PUT /repos/:owner/:repo/pulls/:n/merge
 *   POST   /graphql                               graphql-js over GitHub's published schema (@octokit/graphql-schema):
 *                                                 a query GitHub would refuse is refused with graphql-js's message
 *   (served besides: PR checks, statuses, reviews, threads and mergeability over GraphQL; the merge endpoint;
 *    GET /repos/:owner/:repo/actions/jobs/:id/logs with the check run's log as text)
 *   POST   /_emulator/failure                     { kind: "rate-limited", resetAt } | { kind: "secondary-rate-limited",
 *                                                 retryAfterSeconds } | { kind: "unauthorized" } | { kind: "server-error",
 *                                                 status?, times? } | { kind: "slow", delayMs }
 *   DELETE /_emulator/failure                     heal
 *   GET    /_emulator/requests                    { count, requests: [{ method, path, status }] }
 *   POST   /_emulator/reset                       forget everything
 */
export { ADMIN_PREFIX } from "./admin-routes"
export type { GitHubEmulatorControl } from "./control"
export { type GitHubEmulator, makeEmulatorApp, startGitHubEmulator } from "./server"
export type { EmulatedCheckRun, EmulatedReview, EmulatedStatus, EmulatedThread, PullRequestReview, PullRequestReviewPatch } from "./pull-request-review"
export type { EmulatedFailure, EmulatedIssue, EmulatedPullRequest, EmulatorOptions, ServedRequest } from "./state"
