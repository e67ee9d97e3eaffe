import { CONTRACT_REPO, type TrackerFailure, trackerContract, trackerContractProject } from "@ao/adapters-memory/contracts/tracker"
import { afterAll, beforeAll } from "@effect/vitest"
import { Effect } from "effect"
import { makeGitHubLayer } from "../src/index"
import { type EmulatorFailure, type EmulatorProcess, startEmulatorProcess } from "./emulator-process"
import { temporaryDirectory } from "./temporary-directory"

const TOKEN = "ghp_contractSecretToken0123456789"

let emulator: EmulatorProcess
beforeAll(async () => {
  emulator = await startEmulatorProcess({ token: TOKEN })
})
afterAll(() => emulator?.stop())

const emulated = (failure: TrackerFailure): EmulatorFailure | "remove-repository" => {
  switch (failure._tag) {
    case "RateLimited":
      return { kind: "rate-limited", resetAt: failure.resetAt.toISOString() }
    case "Unauthorized":
      return { kind: "unauthorized" }
    case "RepositoryNotFound":
      return "remove-repository"
    case "ServerError":
      return { kind: "server-error", status: 500 }
    case "Slow":
      return { kind: "slow", delayMs: 30_000 }
  }
}

trackerContract(
  "GitHub over HTTP (emulator)",
  Effect.gen(function* () {
    yield* Effect.promise(() => emulator.reset())
    yield* Effect.promise(() => emulator.addRepository(CONTRACT_REPO))
    const cacheDir = yield* temporaryDirectory
    return {
      project: trackerContractProject(),
      layer: makeGitHubLayer({
        apiUrl: emulator.url,
        env: { GITHUB_TOKEN: TOKEN },
        ghCommand: null,
        cacheDir,
        // Long enough for an answer on a machine under heavy load; "Slow" is held back far longer.
        timeout: "5 seconds",
        attempts: 3,
        backoff: "10 millis"
      }),
      seedIssue: (issue) =>
        Effect.promise(() =>
          emulator.setIssue(CONTRACT_REPO, {
            number: Number(issue.id),
            title: issue.title,
            state: issue.state ?? "open",
            stateReason: issue.stateReason ?? null,
            ...(issue.body === undefined ? {} : { body: issue.body }),
            ...(issue.labels === undefined ? {} : { labels: issue.labels }),
            ...(issue.comments === undefined ? {} : { comments: issue.comments })
          })
        ).pipe(Effect.asVoid),
      seedPullRequest: (pr) => Effect.promise(() => emulator.setPullRequest(CONTRACT_REPO, { number: pr.number, head: pr.branch, state: pr.state })),
      fail: (failure) => {
        const how = emulated(failure)
        return Effect.promise(() => (how === "remove-repository" ? emulator.removeRepository(CONTRACT_REPO) : emulator.fail(how)))
      },
      http: { requests: Effect.promise(() => emulator.requests()).pipe(Effect.map((served) => served.count)), token: TOKEN }
    }
  }),
  { overHttp: true, untrackedIssueId: "INT-1234" }
)
