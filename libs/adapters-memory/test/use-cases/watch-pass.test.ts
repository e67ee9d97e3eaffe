import { ActivityLog, type ReviewedPullRequest, Runtime, watchPass } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Layer, Option, TestClock } from "effect"
import { MemoryCodeReview, MemoryCodeReviewControl } from "../../src/code-review"
import { MemoryNotifier, MemoryNotifierControl } from "../../src/notifier"
import { MemoryReactionLedger } from "../../src/reaction-ledger"
import { MemoryRuntimeControl } from "../../src/runtime"
import { memoryProject, memoryProjects } from "../../src/world"
import { eventKinds, inWorld, spawnForIssue } from "./world-fixture"

const aPr = (overrides: Partial<ReviewedPullRequest> = {}): ReviewedPullRequest => ({
  number: 7,
  url: "https://github.com/owner/repo/pull/7",
  state: "open",
  headSha: "aaaaaaa1111",
  baseRef: "main",
  baseSha: "bbbbbbb2222",
  checks: "failure",
  failingChecks: [{ name: "test", url: "https://ci/1", logId: "101" }],
  reviewDecision: "review-required",
  changeRequests: [],
  unresolvedThreads: [],
  mergeable: "mergeable",
  ...overrides
})

const watchPorts = Layer.mergeAll(MemoryCodeReview, MemoryNotifier, MemoryReactionLedger)

const report = (state: "working" | "waiting" | "idle", event: string) =>
  Effect.flatMap(DateTime.now, (at) => Effect.flatMap(ActivityLog, (log) => log.append("ao-int-1", { at, state, event })))

/**
 * The agent takes a prompt as Claude Code does: its UserPromptSubmit hook
 * reports it when Enter lands, which is what confirms a send to an agent
 * that reports through hooks.
 */
const hookedAgent = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const runtime = yield* Runtime
    const log = yield* ActivityLog
    const hooked = Runtime.of({
      ...runtime,
      sendKey: (name, key, server) =>
        Effect.zipRight(
          runtime.sendKey(name, key, server),
          Effect.orDie(Effect.flatMap(DateTime.now, (at) => log.append(name, { at, state: "working", event: "UserPromptSubmit", submitted: true })))
        )
    })
    return yield* Effect.provideService(effect, Runtime, hooked)
  })

const sentTo = (name: string) => Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.sent(name))

describe("watchPass", () => {
  it.effect("a red CI run reaches the idle agent once; the next pass and a mid-turn agent get nothing new", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* TestClock.adjust(Duration.seconds(5))
      yield* report("idle", "Stop")
      const github = yield* MemoryCodeReviewControl
      yield* github.setPullRequest("ao-int-1", aPr())
      yield* github.setJobLog("101", `${"noise\n".repeat(1000)}\u001b[31mFAIL\u001b[0m src/login.test.ts`)
      const first = yield* watchPass()
      expect(first.reactions.map((applied) => [applied.reaction.kind, applied.outcome])).toEqual([["ci-failed", "sent"]])
      const [message] = (yield* sentTo("ao-int-1")).filter((text) => text.includes("CI failed"))
      expect(message).toContain("Log of test (last lines):")
      expect(message).toContain("FAIL src/login.test.ts")
      expect(message?.length).toBeLessThan(2500)
      yield* watchPass()
      // The log is fetched when the failure is sent, not on every pass that sees it.
      expect(yield* github.logFetches).toBe(1)
      expect((yield* sentTo("ao-int-1")).filter((text) => text.includes("CI failed"))).toHaveLength(1)
      // The agent works on it; a new red head waits for the end of its turn.
      yield* TestClock.adjust(Duration.seconds(5))
      yield* report("working", "UserPromptSubmit")
      yield* github.setPullRequest("ao-int-1", aPr({ headSha: "ccccccc3333" }))
      const busy = yield* watchPass()
      expect(busy.reactions.map((applied) => applied.outcome)).toEqual(["queued"])
      yield* watchPass()
      yield* TestClock.adjust(Duration.seconds(5))
      yield* report("idle", "Stop")
      const ready = yield* watchPass()
      expect(ready.reactions.map((applied) => [applied.reaction.trigger, applied.outcome])).toEqual([["ccccccc3333", "sent"]])
      expect((yield* sentTo("ao-int-1")).filter((text) => text.includes("CI failed"))).toHaveLength(2)
      // One reaction-queued event however many passes it waited.
      expect((yield* eventKinds("ao-int-1")).filter((kind) => kind.startsWith("reaction"))).toEqual([
        "reaction-sent",
        "reaction-queued",
        "reaction-sent"
      ])
    }).pipe(hookedAgent, Effect.provide(watchPorts), inWorld())
  )

  it.effect("rate limited: nothing is sent from the PR and the limit is reported", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* report("idle", "Stop")
      const github = yield* MemoryCodeReviewControl
      yield* github.setPullRequest("ao-int-1", aPr())
      yield* github.setRateLimit({ _tag: "RateLimited", resetAt: Option.none(), detail: "GitHub rate limit reached" })
      const pass = yield* watchPass()
      expect(pass.reactions).toEqual([])
      expect(Option.isSome(pass.rateLimit)).toBe(true)
      expect(yield* sentTo("ao-int-1")).toEqual([])
    }).pipe(hookedAgent, Effect.provide(watchPorts), inWorld())
  )

  it.effect("approved and green: a person is notified and, with autoMerge, the PR is merged; then autoCleanup removes the session", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const github = yield* MemoryCodeReviewControl
      yield* github.setPullRequest("ao-int-1", aPr({ checks: "success", failingChecks: [], reviewDecision: "approved" }))
      const first = yield* watchPass()
      expect(first.reactions.map((applied) => [applied.reaction.kind, applied.outcome])).toEqual([["approved-and-green", "merged"]])
      expect(yield* github.merges).toEqual([{ number: 7, method: "squash", headSha: "aaaaaaa1111" }])
      const notified = yield* Effect.flatMap(MemoryNotifierControl, (notifier) => notifier.sent)
      expect(notified.map((notification) => notification.kind)).toEqual(["approved-and-green"])
      const second = yield* watchPass()
      expect(second.reactions.map((applied) => [applied.reaction.kind, applied.outcome])).toEqual([["pr-merged", "cleaned"]])
      expect(yield* eventKinds("ao-int-1")).toContain("killed")
      expect((yield* watchPass()).sessions).toBe(0)
    }).pipe(
      Effect.provide(watchPorts),
      inWorld({
        projects: [memoryProject({ reactions: { autoMerge: "squash", autoCleanup: true } }), ...memoryProjects.slice(1)]
      })
    )
  )

  it.effect("a closed issue is read with the PR in the same request; with autoCleanup it removes the session, once", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const github = yield* MemoryCodeReviewControl
      yield* github.setIssue({ id: "INT-1", title: "Fix it", url: "https://tracker/INT-1", state: "closed", stateReason: "completed" })
      const pass = yield* watchPass()
      expect((yield* github.requests)).toBe(1)
      expect(pass.reactions.map((applied) => [applied.reaction.kind, applied.outcome, applied.reaction.reason])).toEqual([
        ["issue-closed", "cleaned", "issue #INT-1 was closed as completed"]
      ])
      const notified = yield* Effect.flatMap(MemoryNotifierControl, (notifier) => notifier.sent)
      expect(notified.map((notification) => [notification.kind, notification.url])).toEqual([["issue-closed", "https://tracker/INT-1"]])
      expect(yield* eventKinds("ao-int-1")).toContain("killed")
      expect((yield* watchPass()).reactions).toEqual([])
    }).pipe(
      Effect.provide(watchPorts),
      inWorld({ projects: [memoryProject({ reactions: { autoCleanup: true } }), ...memoryProjects.slice(1)] })
    )
  )

  it.effect("a failing notifier is retried on the next passes up to its retries, never stopping the pass", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.exitAgent("ao-int-1"))
      yield* Effect.flatMap(MemoryNotifierControl, (notifier) => notifier.failWith("HTTP 500"))
      const outcomes = []
      for (let pass = 0; pass < 4; pass++) outcomes.push(...(yield* watchPass()).reactions.map((applied) => applied.outcome))
      expect(outcomes).toEqual(["failed", "failed", "failed"])
    }).pipe(hookedAgent, Effect.provide(watchPorts), inWorld())
  )
})
