import type { SessionSummary } from "@ao/domain"
import { describe, expect, it } from "vitest"
import { attentionReason, type BoardSession, byAttention, lasted, type PrReview, reviewText } from "../src/attention"

const session = (name: string, state: SessionSummary["activity"]["state"], since: string, detail: string | null = null) =>
  ({ name, activity: { state, since, source: "hook", detail, reason: "" } }) as unknown as SessionSummary

describe("byAttention", () => {
  it("puts waiting, then exited, before working and idle; the longest waiting first; names in natural order", () => {
    const sorted = byAttention([
      session("a-10", "idle", "2026-01-01T00:00:00.000Z"),
      session("a-2", "working", "2026-01-01T00:00:00.000Z"),
      session("a-1", "working", "2026-01-01T00:00:00.000Z"),
      session("a-3", "exited", "2026-01-01T00:00:00.000Z"),
      session("a-4", "waiting", "2026-01-01T00:05:00.000Z"),
      session("a-5", "waiting", "2026-01-01T00:01:00.000Z")
    ])
    expect(sorted.map((each) => each.name)).toEqual(["a-5", "a-4", "a-3", "a-1", "a-2", "a-10"])
  })

  it("says why a person is needed", () => {
    expect(attentionReason(session("a", "waiting", "", "Bash: rm -rf build"))).toBe("Bash: rm -rf build")
    expect(attentionReason(session("a", "exited", ""))).toBe("the agent exited")
    expect(attentionReason(session("a", "working", ""))).toBeUndefined()
  })
})

describe("lasted", () => {
  it("says how long in the largest whole unit", () => {
    const now = Date.parse("2026-01-02T00:00:00.000Z")
    expect(lasted("2026-01-01T23:59:18.000Z", now)).toBe("42 s")
    expect(lasted("2026-01-01T23:55:00.000Z", now)).toBe("5 min")
    expect(lasted("2026-01-01T21:00:00.000Z", now)).toBe("3 h")
    expect(lasted("2025-12-31T00:00:00.000Z", now)).toBe("2 d")
  })
})

describe("CI and review state in the attention order", () => {
  const review = (attention: PrReview["attention"], overrides: Partial<PrReview> = {}): PrReview => ({
    ci: attention === "ci-still-red" ? "failing" : "passing",
    failingChecks: attention === "ci-still-red" ? ["lint", "test"] : [],
    review: attention === "approved-and-green" ? "approved" : "review-required",
    fixRequests: attention === "ci-still-red" ? 2 : 0,
    attention,
    checkedAt: "2026-01-01T00:00:00.000Z",
    stale: null,
    ...overrides
  })
  const reviewed = (name: string, state: SessionSummary["activity"]["state"], value: PrReview | null): BoardSession =>
    ({ ...session(name, state, "2026-01-01T00:00:00.000Z"), review: value }) as BoardSession

  it("waiting, then CI still red after retries, then approved and green, then exited, then the rest", () => {
    const sorted = byAttention([
      reviewed("a-1", "idle", null),
      reviewed("a-2", "exited", null),
      reviewed("a-3", "working", review("approved-and-green")),
      reviewed("a-4", "idle", review("ci-still-red")),
      reviewed("a-5", "waiting", null),
      reviewed("a-6", "working", review(null, { ci: "failing", fixRequests: 0 }))
    ])
    expect(sorted.map((each) => each.name)).toEqual(["a-5", "a-4", "a-3", "a-2", "a-6", "a-1"])
  })

  it("says why, and shows CI and review with the failing checks and staleness", () => {
    expect(attentionReason(reviewed("a", "idle", review("ci-still-red")))).toBe("CI still red after 2 requests to fix it: lint, test")
    expect(attentionReason(reviewed("a", "working", review("approved-and-green")))).toBe("approved and CI green: ready to merge")
    expect(reviewText(review("ci-still-red"))).toBe("CI failing (lint, test) · review required")
    expect(reviewText(review(null, { ci: "unknown", review: "unknown", stale: "GitHub rate limit" }))).toBe(
      "CI unknown · review unknown (stale: GitHub rate limit)"
    )
  })
})
