import { describe, expect, it } from "@effect/vitest"
import { Scm, Tracker } from "@ao/domain"
import { Effect, Layer, Option } from "effect"
import { CONTRACT_REPO, type TrackerFailure, trackerContract, trackerContractProject } from "../src/contracts/tracker"
import { makeMemoryTracker, memoryPullRequestUrl, MemoryTrackerControl, MemoryTrackerLive } from "../src/tracker"

/** The reasons the real adapter gives, so the memory twin answers the contract the same way. */
const reasonFor = (failure: TrackerFailure): string => {
  switch (failure._tag) {
    case "RateLimited":
      return `GitHub rate limit exceeded; resets at ${failure.resetAt.toISOString().slice(11, 16)} UTC`
    case "Unauthorized":
      return "GitHub rejected the token (401)"
    case "RepositoryNotFound":
      return `GitHub repository ${CONTRACT_REPO} not found, or the token cannot see it`
    case "ServerError":
      return "GitHub returned 500 after 3 attempts"
    case "Slow":
      return "GitHub did not answer within 10 seconds"
  }
}

trackerContract(
  "memory",
  Effect.map(makeMemoryTracker, ({ control, scm, tracker }) => {
    const project = trackerContractProject()
    return {
      project,
      layer: Layer.merge(Layer.succeed(Tracker, tracker), Layer.succeed(Scm, scm)),
      seedIssue: control.setIssue,
      seedPullRequest: (pr) => Effect.as(control.setPullRequest(pr), memoryPullRequestUrl(project, pr.number)),
      fail: (failure) => control.setUnavailable(reasonFor(failure))
    }
  }),
  { overHttp: false }
)

describe("MemoryTrackerControl", () => {
  const project = trackerContractProject()

  it.effect("counts calls and the freshness each PR lookup asked for", () =>
    Effect.gen(function* () {
      const control = yield* MemoryTrackerControl
      yield* (yield* Tracker).issues(project, ["1"])
      yield* (yield* Scm).pullRequests(project, [], "cached")
      yield* (yield* Scm).pullRequests(project, [], "fresh")
      expect(yield* control.calls).toEqual({ issue: 0, issues: 1, pullRequests: 2, freshness: ["cached", "fresh"] })
    }).pipe(Effect.provide(MemoryTrackerLive))
  )

  it.effect("makes one issue or one branch Unknown while the rest answer", () =>
    Effect.gen(function* () {
      const control = yield* MemoryTrackerControl
      yield* control.setIssue({ id: "1", title: "One", state: "closed" })
      yield* control.setIssue({ id: "2", title: "Two", state: "closed" })
      yield* control.setPullRequest({ branch: "a", number: 1, state: "merged" })
      yield* control.setIssueUnavailable("1", "GitHub returned 502 after 3 attempts")
      yield* control.setPullRequestUnavailable("a", "GitHub returned 502 after 3 attempts")
      const issues = yield* (yield* Tracker).issues(project, ["1", "2"])
      expect(issues.get("1")).toEqual({ _tag: "Unknown", reason: "GitHub returned 502 after 3 attempts" })
      expect(issues.get("2")?._tag).toBe("Found")
      const prs = yield* (yield* Scm).pullRequests(project, [{ sessionId: "s", branch: "a", url: Option.none() }], "fresh")
      expect(prs.get("s")?._tag).toBe("Unknown")

      yield* control.setIssueUnavailable("1", null)
      yield* control.removeIssue("2")
      const after = yield* (yield* Tracker).issues(project, ["1", "2"])
      expect(after.get("1")?._tag).toBe("Found")
      expect(after.get("2")).toEqual({ _tag: "Absent" })
    }).pipe(Effect.provide(MemoryTrackerLive))
  )
})
