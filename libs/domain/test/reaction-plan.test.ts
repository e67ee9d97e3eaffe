import { describe, expect, it } from "@effect/vitest"
import { DateTime, Option } from "effect"
import { Lookup } from "../src/ports/lookup"
import type { Activity } from "../src/rules/activity-state"
import type { ObservedSession, ReviewedPullRequest } from "../src/watch/observation"
import { LedgerEntry } from "../src/watch/reaction-ledger-entry"
import { planReactions, plainText } from "../src/watch/reaction-plan"
import { DEFAULT_REACTION_SETTINGS, reactionSettingsFrom, type ReactionSettings } from "../src/watch/reaction-settings"
import { aSession, T0 } from "./session-fixture"

const NOW = DateTime.add(T0, { minutes: 10 })

const aPr = (overrides: Partial<ReviewedPullRequest> = {}): ReviewedPullRequest => ({
  number: 7,
  url: "https://github.com/owner/repo/pull/7",
  state: "open",
  headSha: "aaaaaaa1111",
  baseRef: "main",
  baseSha: "bbbbbbb2222",
  checks: "pending",
  failingChecks: [],
  reviewDecision: "review-required",
  changeRequests: [],
  unresolvedThreads: [],
  mergeable: "mergeable",
  ...overrides
})

const activity = (state: Activity["state"], since = T0): Activity => ({
  state,
  since,
  source: "hook",
  detail: Option.none(),
  reason: `agent says ${state}`
})

const observed = (pr: ReviewedPullRequest | null, state: Activity["state"] = "idle", id = "ao-int-1"): ObservedSession => ({
  session: aSession({ id: id as never, runtimeHandle: id }),
  activity: activity(state),
  pr: pr === null ? Lookup.absent() : Lookup.found(pr)
})

const red = aPr({ checks: "failure", failingChecks: [{ name: "test", url: "https://ci/1", logExcerpt: "\u001b[31mFAIL\u001b[0m x.test.ts" }] })

const plan = (sessions: ReadonlyArray<ObservedSession>, ledger: ReadonlyArray<LedgerEntry> = [], settings: ReactionSettings = DEFAULT_REACTION_SETTINGS) =>
  planReactions({ now: NOW, sessions, ledger, settingsOf: () => settings })

const entry = (kind: LedgerEntry["kind"], trigger: string, outcome: LedgerEntry["outcome"], attempts = 0) =>
  new LedgerEntry({ sessionId: "ao-int-1", kind, trigger, outcome, attempts, at: T0, detail: "" })

describe("planReactions", () => {
  it("a red CI run is sent to an idle agent with the failing checks and a clean log excerpt", () => {
    const [reaction, ...rest] = plan([observed(red)])
    expect(rest).toEqual([])
    expect(reaction).toMatchObject({ kind: "ci-failed", trigger: red.headSha, delivery: "send", notify: false, escalated: false })
    expect(reaction?.text).toContain("test: https://ci/1")
    expect(reaction?.text).toContain("FAIL x.test.ts")
    expect(reaction?.text).not.toContain("\u001b")
  })

  it("once per head SHA: a sent one is not planned again, a new red head is", () => {
    expect(plan([observed(red)], [entry("ci-failed", red.headSha, "sent")])).toEqual([])
    const next = plan([observed({ ...red, headSha: "ccccccc3333" })], [entry("ci-failed", red.headSha, "sent")])
    expect(next.map((reaction) => [reaction.kind, reaction.trigger])).toEqual([["ci-failed", "ccccccc3333"]])
  })

  it("text waits while the agent is mid-turn, and only one text goes to an agent per pass", () => {
    const busy = plan([observed(red, "working")])
    expect(busy.map((reaction) => reaction.delivery)).toEqual(["queue"])
    const two = plan([
      observed({ ...red, unresolvedThreads: [{ commentId: "c1", author: "rev", path: "src/a.ts", line: 3, body: "rename" }] }, "waiting")
    ])
    expect(two.map((reaction) => [reaction.kind, reaction.delivery])).toEqual([
      ["ci-failed", "send"],
      ["review-comment", "queue"],
      ["agent-waiting", "none"]
    ])
    expect(two[1]?.text).toContain("src/a.ts:3 (rev): rename")
  })

  it("after escalateAfter sends it stops sending and tells a person instead", () => {
    const sent = ["s1", "s2", "s3"].map((sha) => entry("ci-failed", sha, "sent"))
    const [reaction] = plan([observed(red)], sent)
    expect(reaction).toMatchObject({ kind: "ci-failed", delivery: "none", notify: true, escalated: true })
    expect(reaction?.text).toContain("A person is needed")
  })

  it("changes requested once per review, conflicts once per base SHA", () => {
    const pr = aPr({
      changeRequests: [{ id: "r1", author: "alice", body: "please split" }],
      mergeable: "conflicting"
    })
    const first = plan([observed(pr)])
    expect(first.map((reaction) => [reaction.kind, reaction.trigger])).toEqual([
      ["changes-requested", "r1"],
      ["merge-conflicts", pr.baseSha]
    ])
    const later = plan([observed(pr)], [entry("changes-requested", "r1", "sent"), entry("merge-conflicts", pr.baseSha, "sent")])
    expect(later).toEqual([])
  })

  it("approved and green notifies; it merges only with autoMerge and never while checks are pending", () => {
    const green = aPr({ checks: "success", reviewDecision: "approved" })
    const [notifyOnly] = plan([observed(green)])
    expect(notifyOnly).toMatchObject({ kind: "approved-and-green", delivery: "none", notify: true, merge: Option.none() })
    const autoMerge = reactionSettingsFrom({ autoMerge: "squash" })
    const [merging] = plan([observed(green)], [], autoMerge)
    expect(merging?.merge).toEqual(Option.some({ method: "squash", number: 7, headSha: green.headSha }))
    expect(plan([observed({ ...green, checks: "pending" })], [], autoMerge)).toEqual([])
  })

  it("a merged PR notifies, and cleans up only with autoCleanup", () => {
    const merged = aPr({ state: "merged" })
    expect(plan([observed(merged)])[0]).toMatchObject({ kind: "pr-merged", notify: true, cleanup: false })
    expect(plan([observed(merged)], [], reactionSettingsFrom({ autoCleanup: true }))[0]).toMatchObject({ cleanup: true })
  })

  it("a closed issue notifies once, and cleans up only with autoCleanup, once even when its PR was merged too", () => {
    const closed = (stateReason: "completed" | "not_planned" | null): ObservedSession => ({
      ...observed(null),
      issue: Lookup.found({ id: "42", title: "Fix login", url: "https://github.com/o/r/issues/42", state: "closed", stateReason })
    })
    const [reaction, ...rest] = plan([closed("not_planned")])
    expect(rest).toEqual([])
    expect(reaction).toMatchObject({ kind: "issue-closed", trigger: "issue-42", reason: "issue #42 was closed as not planned", notify: true, delivery: "none", cleanup: false })
    expect(Option.getOrNull(reaction!.url)).toBe("https://github.com/o/r/issues/42")
    expect(plan([closed("completed")], [entry("issue-closed", "issue-42", "notified")])).toEqual([])
    const open: ObservedSession = { ...observed(null), issue: Lookup.found({ id: "42", title: "x", url: "u", state: "open", stateReason: null }) }
    expect(plan([open])).toEqual([])
    const both: ObservedSession = { ...closed("completed"), pr: Lookup.found(aPr({ state: "merged" })) }
    const cleaning = plan([both], [], reactionSettingsFrom({ autoCleanup: true }))
    expect(cleaning.map((planned) => [planned.kind, planned.cleanup])).toEqual([
      ["pr-merged", true],
      ["issue-closed", false]
    ])
  })

  it("agent states: waiting longer than N seconds, idle without a PR after N minutes, exited", () => {
    const waitingSince = (seconds: number): ObservedSession => ({
      ...observed(null, "waiting"),
      activity: activity("waiting", DateTime.subtract(NOW, { seconds }))
    })
    expect(plan([waitingSince(60)])).toEqual([])
    expect(plan([waitingSince(121)]).map((reaction) => [reaction.kind, reaction.notify, reaction.delivery])).toEqual([
      ["agent-waiting", true, "none"]
    ])
    const idleSince = (minutes: number, pr: ReviewedPullRequest | null): ObservedSession => ({
      ...observed(pr, "idle"),
      activity: activity("idle", DateTime.subtract(NOW, { minutes }))
    })
    expect(plan([idleSince(29, null)])).toEqual([])
    expect(plan([idleSince(31, null)]).map((reaction) => reaction.kind)).toEqual(["agent-idle"])
    expect(plan([idleSince(31, aPr())])).toEqual([])
    expect(plan([observed(null, "exited")]).map((reaction) => reaction.kind)).toEqual(["agent-exited"])
  })

  it("an Unknown PR (rate limit, outage) is no evidence: nothing is planned from it", () => {
    const unknown: ObservedSession = { ...observed(null, "idle"), activity: activity("idle", T0), pr: Lookup.unknown("rate limited") }
    expect(plan([unknown], [], reactionSettingsFrom({ "agent-idle": { afterSeconds: 0 } }))).toEqual([])
  })

  it("disabled kinds, action both, templates, and retries of failed deliveries", () => {
    const settings = reactionSettingsFrom({
      "ci-failed": { action: "both", message: "Fix {{pr}} on {{session}}: {{reason}}", retries: 1 }
    })
    const [both] = plan([observed(red)], [], settings)
    expect(both).toMatchObject({ delivery: "send", notify: true, attempt: 1 })
    expect(both?.text).toBe("Fix #7 on ao-int-1: CI failed on aaaaaaa: test")
    expect(plan([observed(red)], [entry("ci-failed", red.headSha, "failed", 1)], settings)[0]?.attempt).toBe(2)
    expect(plan([observed(red)], [entry("ci-failed", red.headSha, "failed", 2)], settings)).toEqual([])
    expect(plan([observed(red)], [], reactionSettingsFrom({ "ci-failed": { enabled: false } }))).toEqual([])
  })

  it("plainText keeps line breaks and tabs and drops every other control character", () => {
    expect(plainText("a\r\nb\tc\u0007\u001b[1;31md\u009b")).toBe("a\nb\tcd")
  })
})
