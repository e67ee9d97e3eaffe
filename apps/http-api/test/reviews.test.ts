import { MemoryCodeReview, MemoryCodeReviewControl } from "@ao/adapters-memory/code-review"
import { MemoryReactionLedger } from "@ao/adapters-memory/reaction-ledger"
import { MemoryWorld } from "@ao/adapters-memory/world"
import { LedgerEntry, ReactionLedger, type ReviewedPullRequest } from "@ao/domain"
import { DateTime, Effect, Layer, Option } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { PrReviewsLive } from "../src/pr-reviews"
import { type MemoryApi, memoryApi, postJson, request } from "./memory-api"

/**
 * The cards' CI and review state: ao-api adds each session's PR review to the
 * listing, read through the CodeReview port (one request per repository),
 * reused for a while, and kept (marked stale) when GitHub fails.
 */
const world = (ttlMillis: number) =>
  Layer.provideMerge(
    PrReviewsLive(ttlMillis),
    Layer.mergeAll(MemoryWorld.layer({ actor: "api:test" }), MemoryCodeReview, MemoryReactionLedger)
  )
type Services = Layer.Layer.Success<ReturnType<typeof world>>

let opened: MemoryApi<Services> | undefined
afterEach(async () => {
  await opened?.dispose()
  opened = undefined
})
const open = async (ttlMillis: number) => (opened = await memoryApi<Services>({ layer: world(ttlMillis) }))

const pr = (overrides: Partial<ReviewedPullRequest> = {}): ReviewedPullRequest => ({
  number: 7,
  url: "https://github.com/owner/repo/pull/7",
  state: "open",
  headSha: "a1",
  baseRef: "main",
  baseSha: "b1",
  checks: "failure",
  failingChecks: [{ name: "lint", url: "https://ci/lint" }, { name: "unit tests", url: "https://ci/unit" }],
  reviewDecision: "review-required",
  changeRequests: [],
  unresolvedThreads: [],
  mergeable: "mergeable",
  ...overrides
})

const listed = async (target: MemoryApi<Services>) => {
  const response = await request(target, "/api/sessions")
  expect(response.status).toBe(200)
  return (await response.json()) as ReadonlyArray<{ readonly name: string; readonly review: Record<string, unknown> | null }>
}
const reviewOf = async (target: MemoryApi<Services>, name: string) => (await listed(target)).find((each) => each.name === name)?.review
const requests = (target: MemoryApi<Services>) => target.world(Effect.flatMap(MemoryCodeReviewControl, (control) => control.requests))
const setPr = (target: MemoryApi<Services>, value: ReviewedPullRequest) =>
  target.world(Effect.flatMap(MemoryCodeReviewControl, (control) => control.setPullRequest("ao-s1", value)))
const fixRequested = (target: MemoryApi<Services>, trigger: string) =>
  target.world(
    Effect.flatMap(ReactionLedger, (ledger) =>
      ledger.record(
        new LedgerEntry({ sessionId: "ao-s1", kind: "ci-failed", trigger, outcome: "sent", attempts: 1, at: DateTime.unsafeNow(), detail: "sent" })
      )
    )
  )

describe("PR CI and review state on the listing", () => {
  it("red CI after the agent was asked to fix it is 'ci-still-red', with the failing checks; one request per repository, reused", async () => {
    const api = await open(60_000)
    expect((await postJson(api, "/api/sessions", { project: "agent-orchestrator" })).status).toBe(201)
    expect((await postJson(api, "/api/sessions", { project: "agent-orchestrator" })).status).toBe(201)
    expect((await postJson(api, "/api/sessions", { project: "my-app" })).status).toBe(201)
    await setPr(api, pr())
    await fixRequested(api, "a0")
    await fixRequested(api, "a1")

    const sessions = await listed(api)
    expect(sessions.find((each) => each.name === "ao-s1")?.review).toEqual({
      ci: "failing",
      failingChecks: ["lint", "unit tests"],
      failingCheckLinks: [
        { name: "lint", url: "https://ci/lint" },
        { name: "unit tests", url: "https://ci/unit" }
      ],
      review: "review-required",
      fixRequests: 2,
      attention: "ci-still-red",
      checkedAt: expect.any(String),
      stale: null
    })
    // No PR found for the other session; a project not on GitHub is never asked.
    expect(sessions.find((each) => each.name === "ao-s2")?.review).toBeNull()
    expect(sessions.find((each) => each.name === "ma-s1")?.review).toBeNull()
    expect(await requests(api)).toBe(1)

    // The board reads the list at every event: within the cache time GitHub is not asked again.
    await listed(api)
    expect((await (await request(api, "/api/sessions/ao-s1")).json()) as unknown).toMatchObject({ review: { attention: "ci-still-red" } })
    expect(await requests(api)).toBe(1)
  })

  it("red CI the agent was never asked about is shown but not on top; approved and green is 'approved-and-green'; closed PRs ask nothing", async () => {
    const api = await open(0)
    expect((await postJson(api, "/api/sessions", { project: "agent-orchestrator" })).status).toBe(201)
    await setPr(api, pr())
    expect(await reviewOf(api, "ao-s1")).toMatchObject({ ci: "failing", fixRequests: 0, attention: null })
    await setPr(api, pr({ checks: "success", failingChecks: [], reviewDecision: "approved" }))
    expect(await reviewOf(api, "ao-s1")).toMatchObject({ ci: "passing", review: "approved", attention: "approved-and-green" })
    await setPr(api, pr({ checks: "pending", failingChecks: [], reviewDecision: "approved" }))
    expect(await reviewOf(api, "ao-s1")).toMatchObject({ ci: "pending", attention: null })
    await setPr(api, pr({ state: "merged", checks: "success", failingChecks: [], reviewDecision: "approved" }))
    expect(await reviewOf(api, "ao-s1")).toMatchObject({ attention: null })
  })

  it("when GitHub fails the last answer stays, marked stale with the reason; with no answer yet the state is unknown", async () => {
    const api = await open(0)
    expect((await postJson(api, "/api/sessions", { project: "agent-orchestrator" })).status).toBe(201)
    const limit = { _tag: "RateLimited", resetAt: Option.none(), detail: "GitHub rate limit reached (resets in 20 min)" } as const
    await api.world(Effect.flatMap(MemoryCodeReviewControl, (control) => control.setRateLimit(limit)))
    expect(await reviewOf(api, "ao-s1")).toMatchObject({ ci: "unknown", review: "unknown", checkedAt: null, stale: limit.detail })

    await api.world(Effect.flatMap(MemoryCodeReviewControl, (control) => control.setRateLimit(null)))
    await setPr(api, pr({ checks: "success", failingChecks: [], reviewDecision: "approved" }))
    const fresh = await reviewOf(api, "ao-s1")
    expect(fresh).toMatchObject({ ci: "passing", attention: "approved-and-green", stale: null })

    await api.world(Effect.flatMap(MemoryCodeReviewControl, (control) => control.setRateLimit(limit)))
    expect(await reviewOf(api, "ao-s1")).toEqual({ ...fresh, stale: limit.detail })
  })
})
