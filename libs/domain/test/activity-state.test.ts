import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Option, TestClock } from "effect"
import type { ActivityReport } from "../src/activity"
import { activityState, type ActivityEvidence, hookEvidence } from "../src/rules/activity-state"
import { aRuntime, aSession, T0 } from "./session-fixture"

const idleAfter = Duration.minutes(5)
const at = (minutes: number) => DateTime.add(T0, { minutes })
const report = (minutes: number, state: ActivityReport["state"], event: string, detail?: string): ActivityReport => ({
  at: at(minutes),
  state,
  event,
  ...(detail === undefined ? {} : { detail })
})

/** The state shown at the test clock's now: the rule is pure, the clock decides "now". */
const shownNow = (evidence: Omit<ActivityEvidence, "now" | "idleAfter">) =>
  Effect.map(DateTime.now, (now) => activityState({ ...evidence, now, idleAfter }))

const permission = report(1, "waiting", "Notification", "Claude needs your permission to use Bash")
const alive = Option.some(aRuntime())

describe("activityState", () => {
  it.effect("a permission prompt shows waiting with what is asked, from the hook", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(DateTime.toEpochMillis(at(30)))
      const shown = yield* shownNow({
        session: aSession(),
        runtime: alive,
        reports: [report(0, "working", "UserPromptSubmit"), report(1, "working", "PreToolUse", "Bash"), permission]
      })
      expect(shown).toMatchObject({ state: "waiting", source: "hook", since: at(1), detail: Option.some(permission.detail) })
    })
  )

  it.effect("Stop turns the session idle from the hook at once, however busy the pane was", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(DateTime.toEpochMillis(at(2)))
      const shown = yield* shownNow({
        session: aSession(),
        runtime: Option.some(aRuntime({ lastActivityAt: at(2) })),
        reports: [report(0, "working", "PreToolUse", "Edit"), report(1, "idle", "Stop")]
      })
      expect(shown).toMatchObject({ state: "idle", source: "hook", since: at(1) })
    })
  )

  it.effect("a lost Stop keeps working only until idleAfter passes without hook or pane activity; then the screen says idle", () =>
    Effect.gen(function* () {
      const evidence = {
        session: aSession(),
        runtime: Option.some(aRuntime({ lastActivityAt: at(3) })),
        reports: [report(0, "working", "UserPromptSubmit"), report(2, "working", "PostToolUse")]
      }
      yield* TestClock.setTime(DateTime.toEpochMillis(at(8)))
      expect(yield* shownNow(evidence)).toMatchObject({ state: "working", source: "hook", since: at(0) })
      yield* TestClock.adjust(Duration.millis(1))
      expect(yield* shownNow(evidence)).toMatchObject({ state: "idle", source: "screen" })
    })
  )

  it.effect("a Notification after Stop does not stick waiting", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(DateTime.toEpochMillis(at(10)))
      const shown = yield* shownNow({
        session: aSession(),
        runtime: alive,
        reports: [report(0, "working", "PreToolUse", "Bash"), report(1, "idle", "Stop"), report(2, "waiting", "Notification", "?")]
      })
      expect(shown).toMatchObject({ state: "idle", source: "hook", since: at(1) })
    })
  )

  it("a hook after the prompt was answered ends waiting", () => {
    const shown = activityState({
      session: aSession(),
      runtime: alive,
      reports: [permission, report(2, "working", "PostToolUse")],
      now: at(3),
      idleAfter
    })
    expect(shown).toMatchObject({ state: "working", source: "hook", since: at(2), detail: Option.none() })
  })

  it("precedence: runtime dead > pane dead > waiting > attached > hook > screen", () => {
    const reports = [permission]
    const now = at(2)
    const shownWith = (runtime: ActivityEvidence["runtime"]) =>
      activityState({ session: aSession(), runtime, reports, now, idleAfter })
    expect(shownWith(Option.none())).toMatchObject({ state: "exited", source: "runtime" })
    expect(shownWith(Option.some(aRuntime({ paneDead: true, attachedClients: 1 })))).toMatchObject({ state: "exited", source: "runtime" })
    expect(shownWith(Option.some(aRuntime({ attachedClients: 1 })))).toMatchObject({ state: "waiting", source: "hook" })
    const attached = activityState({
      session: aSession(),
      runtime: Option.some(aRuntime({ attachedClients: 1 })),
      reports: [report(1, "idle", "Stop")],
      now,
      idleAfter
    })
    expect(attached).toMatchObject({ state: "active", source: "runtime" })
  })

  it("a recorded final status or an unfinished spawn wins over every hook", () => {
    for (const status of ["killed", "done", "exited", "spawning"] as const) {
      const shown = activityState({ session: aSession({ status }), runtime: alive, reports: [permission], now: at(2), idleAfter })
      expect(shown).toMatchObject({ state: status, source: "runtime" })
    }
  })

  it("SessionEnd shows exited from the hook while the pane lives on", () => {
    const shown = activityState({ session: aSession(), runtime: alive, reports: [report(1, "exited", "SessionEnd")], now: at(2), idleAfter })
    expect(shown).toMatchObject({ state: "exited", source: "hook" })
  })

  it("without hooks the screen decides: recent pane activity is working, quiet past idleAfter is idle", () => {
    const runtime = Option.some(aRuntime({ lastActivityAt: at(1) }))
    const shownAt = (now: DateTime.Utc) => activityState({ session: aSession(), runtime, reports: [], now, idleAfter })
    expect(shownAt(at(6))).toMatchObject({ state: "working", source: "screen" })
    expect(shownAt(DateTime.add(at(6), { millis: 1 }))).toMatchObject({ state: "idle", source: "screen", since: at(1) })
  })

  it("reports from before the agent started (an earlier session of the same name, or before a restore) are ignored", () => {
    const restored = aSession({ restoredAt: Option.some(at(10)) })
    const shown = activityState({ session: restored, runtime: Option.some(aRuntime({ lastActivityAt: at(10) })), reports: [permission], now: at(11), idleAfter })
    expect(shown).toMatchObject({ state: "working", source: "screen" })
  })
})

describe("hookEvidence", () => {
  it("keeps when a state began while later reports of the same state update the detail", () => {
    const evidence = hookEvidence(
      [report(0, "working", "UserPromptSubmit"), report(1, "working", "PreToolUse", "Bash"), report(2, "working", "PreToolUse", "Edit")],
      T0
    )
    expect(evidence).toEqual(Option.some({ state: "working", since: at(0), lastReportAt: at(2), detail: Option.some("Edit") }))
  })

  it("has nothing to say without reports", () => {
    expect(hookEvidence([], T0)).toEqual(Option.none())
  })
})
