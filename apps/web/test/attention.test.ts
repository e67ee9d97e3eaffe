import type { SessionSummary } from "@ao/domain"
import { describe, expect, it } from "vitest"
import { attentionReason, byAttention, lasted } from "../src/attention"

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
