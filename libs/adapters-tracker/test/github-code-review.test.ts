import { CONTRACT_REPO, trackerContractProject } from "@ao/adapters-memory/contracts/tracker"
import { CodeReview, Lookup, type ReviewedPullRequest } from "@ao/domain"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, TestClock, TestContext } from "effect"
import { makeGitHubCodeReviewLayer } from "../src/index"
import { type EmulatorProcess, startEmulatorProcess } from "./emulator-process"

const TOKEN = "ghp_codeReviewSecretToken0123456789"

let emulator: EmulatorProcess
beforeAll(async () => {
  emulator = await startEmulatorProcess({ token: TOKEN })
})
afterAll(() => emulator?.stop())
beforeEach(async () => {
  await emulator.reset()
  await emulator.addRepository(CONTRACT_REPO)
})

const run = <A, E>(effect: Effect.Effect<A, E, CodeReview>) =>
  Effect.runPromise(
    Effect.provide(
      effect,
      makeGitHubCodeReviewLayer({ apiUrl: emulator.url, env: { GITHUB_TOKEN: TOKEN }, ghCommand: null, cacheDir: "/nonexistent", timeout: "30 seconds", backoff: "10 millis" })
    )
  )

const project = trackerContractProject()
const query = (n: number) => ({ sessionId: `s-${n}`, branch: `branch-${n}`, url: Option.none() })
const found = (lookup: Lookup<ReviewedPullRequest> | undefined): ReviewedPullRequest => {
  if (lookup?._tag !== "Found") throw new Error(`expected a PR, got ${JSON.stringify(lookup)}`)
  return lookup.value
}

describe("GitHub CodeReview over the emulator", () => {
  it("reads checks, failing runs and statuses, change requests, unresolved threads and mergeability in one request", async () => {
    for (const n of [1, 2, 3]) await emulator.setPullRequest(CONTRACT_REPO, { number: n, head: `branch-${n}`, state: "open" })
    await emulator.admin("POST", `/repos/${CONTRACT_REPO}/pulls/1/review`, {
      headSha: "a".repeat(40),
      baseSha: "b".repeat(40),
      mergeable: "CONFLICTING",
      checkRuns: [
        { name: "lint", status: "completed", conclusion: "success", id: 11, log: "" },
        { name: "test", status: "completed", conclusion: "failure", id: 12, log: "FAIL x.test.ts" }
      ],
      statuses: [{ context: "ci/legacy", state: "error", targetUrl: "https://ci.example/1" }],
      reviews: [{ id: 21, author: "alice", state: "CHANGES_REQUESTED", body: "split this" }],
      threads: [
        { id: 31, resolved: false, path: "src/a.ts", line: 4, comments: [{ id: 41, author: "bob", body: "rename" }, { id: 42, author: "bob", body: "please" }] },
        { id: 32, resolved: true, path: "src/b.ts", line: 1, comments: [{ id: 43, author: "bob", body: "done" }] }
      ]
    })
    await emulator.admin("POST", `/repos/${CONTRACT_REPO}/pulls/2/review`, {
      checkRuns: [{ name: "test", status: "completed", conclusion: "success", id: 13, log: "" }],
      reviews: [{ id: 22, author: "alice", state: "APPROVED", body: "" }]
    })
    await emulator.admin("POST", `/repos/${CONTRACT_REPO}/pulls/3/review`, {
      checkRuns: [{ name: "test", status: "in_progress", conclusion: null, id: 14, log: "" }]
    })
    const before = (await emulator.requests()).count
    const reviews = await run(Effect.flatMap(CodeReview, (codeReview) => codeReview.reviews(project, [1, 2, 3, 4].map(query))))
    expect((await emulator.requests()).count - before).toBe(1)
    const red = found(reviews.get("s-1"))
    expect(red).toMatchObject({ number: 1, state: "open", headSha: "a".repeat(40), baseSha: "b".repeat(40), checks: "failure", mergeable: "conflicting", reviewDecision: "changes-requested" })
    expect(red.failingChecks.map((check) => check.name)).toEqual(["test", "ci/legacy"])
    expect(red.changeRequests.map((review) => [review.author, review.body])).toEqual([["alice", "split this"]])
    expect(red.unresolvedThreads.map((thread) => [thread.path, thread.line, thread.author, thread.body])).toEqual([["src/a.ts", 4, "bob", "please"]])
    expect(found(reviews.get("s-2"))).toMatchObject({ checks: "success", reviewDecision: "approved", mergeable: "mergeable" })
    expect(found(reviews.get("s-3")).checks).toBe("pending")
    expect(reviews.get("s-4")).toEqual(Lookup.absent())
  })

  it("reads each session's issue in the same one request as its PR", async () => {
    await emulator.setPullRequest(CONTRACT_REPO, { number: 1, head: "branch-1", state: "open" })
    await emulator.setIssue(CONTRACT_REPO, { number: 42, title: "Fix login", state: "closed", stateReason: "not_planned" })
    const before = (await emulator.requests()).count
    const observed = await run(
      Effect.flatMap(CodeReview, (codeReview) =>
        codeReview.observe(project, [
          { ...query(1), issueId: Option.some("42") },
          { ...query(2), issueId: Option.none() },
          { ...query(3), issueId: Option.some("404") }
        ])
      )
    )
    expect((await emulator.requests()).count - before).toBe(1)
    expect(found(observed.get("s-1")?.pr).number).toBe(1)
    expect(observed.get("s-1")?.issue).toEqual(
      Lookup.found({ id: "42", title: "Fix login", url: expect.stringContaining("/issues/42"), state: "closed", stateReason: "not_planned" })
    )
    expect(observed.get("s-2")).toEqual({ pr: Lookup.absent(), issue: Lookup.absent() })
    expect(observed.get("s-3")?.issue).toEqual(Lookup.absent())
  })

  it("a rate limit fails the read with its reset time", async () => {
    await emulator.fail({ kind: "rate-limited", resetAt: "2030-01-01T10:20:00Z" })
    const answer = await run(Effect.flip(Effect.flatMap(CodeReview, (codeReview) => codeReview.reviews(project, [query(1)]))))
    expect(answer._tag).toBe("RateLimited")
    expect(answer.detail).toMatch(/rate limit.*10:20 UTC/i)
  })

  it("never starts more requests per minute than configured: the next one waits for the window, then goes", async () => {
    const layer = makeGitHubCodeReviewLayer({
      apiUrl: emulator.url,
      env: { GITHUB_TOKEN: TOKEN },
      ghCommand: null,
      cacheDir: "/nonexistent",
      maxRequestsPerMinute: 2
    })
    const served = Effect.promise(async () => (await emulator.requests()).count)
    // Real time, for the HTTP answers; the budget's window runs on the test clock.
    const pause = Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 100)))
    await Effect.runPromise(
      Effect.gen(function* () {
        const codeReview = yield* CodeReview
        const before = yield* served
        const passes = yield* Effect.fork(
          Effect.all([1, 2, 3].map(() => codeReview.reviews(project, [query(1)])), { concurrency: "unbounded" })
        )
        for (let tries = 0; tries < 200 && (yield* served) - before < 2; tries++) yield* pause
        for (let tries = 0; tries < 5; tries++) yield* pause
        expect((yield* served) - before).toBe(2)
        yield* TestClock.adjust("60 seconds")
        yield* Fiber.join(passes)
        expect((yield* served) - before).toBe(3)
      }).pipe(Effect.provide(layer), Effect.provide(TestContext.TestContext))
    )
  })

  it("merges only at the expected head: a moved head is refused, then the PR is merged", async () => {
    await emulator.setPullRequest(CONTRACT_REPO, { number: 1, head: "branch-1", state: "open" })
    await emulator.admin("POST", `/repos/${CONTRACT_REPO}/pulls/1/review`, { headSha: "c".repeat(40) })
    const refused = await run(
      Effect.flip(Effect.flatMap(CodeReview, (codeReview) => codeReview.merge(project, { number: 1, method: "squash", headSha: "d".repeat(40) })))
    )
    expect(refused._tag).toBe("MergeRefused")
    await run(Effect.flatMap(CodeReview, (codeReview) => codeReview.merge(project, { number: 1, method: "squash", headSha: "c".repeat(40) })))
    expect(await emulator.admin("GET", "/merges")).toEqual([{ slug: CONTRACT_REPO, number: 1, method: "squash", sha: "c".repeat(40) }])
    const after = await run(Effect.flatMap(CodeReview, (codeReview) => codeReview.reviews(project, [query(1)])))
    expect(found(after.get("s-1")).state).toBe("merged")
  })
})
