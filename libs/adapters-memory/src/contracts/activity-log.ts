import { describe, expect, it } from "@effect/vitest"
import { ActivityLog, type ActivityReport } from "@ao/domain"
import { DateTime, Effect, type Layer } from "effect"

const T0 = DateTime.unsafeMake("2026-03-04T05:06:07.000Z")

export const aReport = (seconds: number, overrides: Partial<ActivityReport> = {}): ActivityReport => ({
  at: DateTime.add(T0, { seconds }),
  state: "working",
  event: "PreToolUse",
  detail: "Bash",
  ...overrides
})

/** What every ActivityLog must do. `fresh` builds an empty one (the disk one in a new temp dir). */
export const activityLogContract = (name: string, fresh: () => Layer.Layer<ActivityLog, unknown>) =>
  describe(`ActivityLog contract: ${name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, ActivityLog>) => Effect.provide(effect, fresh())

    it.live("a session without reports has none", () =>
      run(Effect.flatMap(ActivityLog, (log) => Effect.map(log.recent("ao-1"), (reports) => expect(reports).toEqual([]))))
    )

    it.live("gives back each session's reports oldest first, with their details", () =>
      run(
        Effect.gen(function* () {
          const log = yield* ActivityLog
          yield* log.append("ao-1", aReport(0))
          yield* log.append("ao-2", aReport(1, { state: "idle", event: "Stop", detail: undefined }))
          yield* log.append("ao-1", aReport(2, { state: "waiting", event: "Notification", detail: "Claude needs your permission to use Bash" }))
          const first = yield* log.recent("ao-1")
          expect(first.map((report) => [report.state, report.detail])).toEqual([
            ["working", "Bash"],
            ["waiting", "Claude needs your permission to use Bash"]
          ])
          expect(first[1]?.at).toEqual(DateTime.add(T0, { seconds: 2 }))
          expect((yield* log.recent("ao-2")).map((report) => report.event)).toEqual(["Stop"])
        })
      )
    )

    it.live("a long log gives its latest reports, the newest last", () =>
      run(
        Effect.gen(function* () {
          const log = yield* ActivityLog
          for (let second = 0; second < 500; second++) yield* log.append("ao-1", aReport(second))
          const recent = yield* log.recent("ao-1")
          expect(recent.length).toBeGreaterThanOrEqual(20)
          expect(recent.length).toBeLessThan(500)
          expect(recent.at(-1)?.at).toEqual(DateTime.add(T0, { seconds: 499 }))
          expect(recent.map((report) => DateTime.toEpochMillis(report.at))).toEqual(
            [...recent.map((report) => DateTime.toEpochMillis(report.at))].sort((a, b) => a - b)
          )
        })
      )
    )
  })
