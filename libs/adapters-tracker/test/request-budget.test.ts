import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Fiber, Ref, TestClock } from "effect"
import { makeRequestBudget } from "../src/request-budget"

describe("request budget", () => {
  it.effect("never lets more than the cap start in any minute; the rest wait their turn, in order", () =>
    Effect.gen(function* () {
      const budget = yield* makeRequestBudget(3)
      const started = yield* Ref.make<ReadonlyArray<number>>([])
      const request = Effect.zipRight(
        budget.take,
        Effect.flatMap(Clock.currentTimeMillis, (at) => Ref.update(started, (all) => [...all, at]))
      )
      const fiber = yield* Effect.fork(Effect.all(Array.from({ length: 7 }, () => request), { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 second")
      expect(yield* Ref.get(started)).toEqual([0, 0, 0])
      yield* TestClock.adjust("58 seconds")
      expect((yield* Ref.get(started)).length).toBe(3)
      yield* TestClock.adjust("1 second")
      expect(yield* Ref.get(started)).toEqual([0, 0, 0, 60_000, 60_000, 60_000])
      yield* TestClock.adjust("60 seconds")
      yield* Fiber.join(fiber)
      const times = yield* Ref.get(started)
      expect(times).toEqual([0, 0, 0, 60_000, 60_000, 60_000, 120_000])
      for (const at of times) expect(times.filter((other) => other >= at && other < at + 60_000).length).toBeLessThanOrEqual(3)
    })
  )

  it.effect("a request after a quiet minute starts at once", () =>
    Effect.gen(function* () {
      const budget = yield* makeRequestBudget(1)
      yield* budget.take
      yield* TestClock.adjust("61 seconds")
      const fiber = yield* Effect.fork(budget.take)
      yield* TestClock.adjust("1 millis")
      expect(fiber.unsafePoll()).not.toBeNull()
    })
  )
})
