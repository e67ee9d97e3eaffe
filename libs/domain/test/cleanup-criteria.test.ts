import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { Lookup } from "../src/ports/lookup"
import type { IssueInfo } from "../src/ports/tracker"
import { type CleanupCriterion, type CleanupFacts, cleanupDecision, describeCriteria } from "../src/rules/cleanup-criteria"
import { PullRequest } from "../src/session"

const merged = Lookup.found(new PullRequest({ url: "https://github.com/o/r/pull/1", number: 1, state: "merged" }))
const openPr = Lookup.found(new PullRequest({ url: "https://github.com/o/r/pull/1", number: 1, state: "open" }))
const issue = (state: IssueInfo["state"]) =>
  Lookup.found<IssueInfo>({ id: "INT-1", title: "t", url: "u", state, stateReason: state === "closed" ? "completed" : null })

const clean = (criteria: ReadonlyArray<CleanupCriterion>, couldNotCheck?: string) => ({
  _tag: "Clean",
  criteria,
  couldNotCheck: Option.fromNullable(couldNotCheck)
})

const readable = (facts: Partial<Extract<CleanupFacts, { _tag: "Readable" }>> = {}): CleanupFacts => ({
  _tag: "Readable",
  status: "working",
  runtimeAlive: true,
  pr: Lookup.absent(),
  issue: Lookup.absent(),
  ...facts
})

const broken = (runtimeAlive: boolean): CleanupFacts => ({
  _tag: "Broken",
  record: { id: "ao-x", path: "/s/ao-x.json", problem: "not JSON", salvage: {} },
  runtimeAlive
})

describe("cleanupDecision", () => {
  it("cleans on each criterion alone", () => {
    expect(cleanupDecision(readable({ pr: merged }))).toEqual(clean(["pr-merged"]))
    expect(cleanupDecision(readable({ issue: issue("closed") }))).toEqual(clean(["issue-closed"]))
    expect(cleanupDecision(readable({ runtimeAlive: false }))).toEqual(clean(["runtime-dead"]))
  })

  it("returns every matching criterion in the spec's order", () => {
    const decision = cleanupDecision(readable({ runtimeAlive: false, issue: issue("closed"), pr: merged }))
    expect(decision).toEqual(clean(["pr-merged", "issue-closed", "runtime-dead"]))
    expect(describeCriteria(["pr-merged", "runtime-dead"])).toBe("PR merged, runtime dead")
  })

  it("keeps a session whose PR is open, issue open and runtime running", () => {
    expect(cleanupDecision(readable({ pr: openPr, issue: issue("open") }))._tag).toBe("Keep")
  })

  it("skips killed, done and exited sessions, saying why", () => {
    for (const status of ["killed", "done", "exited"] as const) {
      expect(cleanupDecision(readable({ status, pr: merged, runtimeAlive: false }))).toEqual({
        _tag: "Skip",
        reason: `status is ${status}`
      })
    }
  })

  it("never reads an unknown lookup as a verdict", () => {
    const decision = cleanupDecision(readable({ pr: Lookup.unknown("rate limited"), issue: Lookup.unknown("timeout") }))
    expect(decision).toEqual({ _tag: "Unverified", reason: "could not check: PR: rate limited; issue: timeout" })
  })

  it("still applies the other criteria when one lookup is unknown, and says what it could not check", () => {
    expect(cleanupDecision(readable({ pr: Lookup.unknown("rate limited"), runtimeAlive: false }))).toEqual(
      clean(["runtime-dead"], "could not check: PR: rate limited")
    )
    expect(cleanupDecision(readable({ pr: Lookup.unknown("rate limited"), issue: issue("closed") }))).toEqual(
      clean(["issue-closed"], "could not check: PR: rate limited")
    )
  })

  it("cleans a broken record whose runtime is dead and reports one still running", () => {
    expect(cleanupDecision(broken(false))).toEqual(clean(["runtime-dead"]))
    const decision = cleanupDecision(broken(true))
    expect(decision._tag).toBe("Unverified")
    expect(decision).toMatchObject({ reason: expect.stringContaining("/s/ao-x.json is unreadable (not JSON)") })
  })
})
