import { describe, expect, it } from "@effect/vitest"
import { type WatchHolder, WatchLease } from "@ao/domain"
import { Effect, type Layer } from "effect"

export const aHolder = (id: string, overrides: Partial<WatchHolder> = {}): WatchHolder => ({
  id,
  pid: process.pid,
  description: `ao watch (${id})`,
  since: "2026-01-02T03:04:05.000Z",
  ...overrides
})

/** What every WatchLease must do; `fresh` builds a store no watcher holds. Holders here are alive (this process). */
export const watchLeaseContract = (name: string, fresh: () => Layer.Layer<WatchLease, unknown>) =>
  describe(`WatchLease contract: ${name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, WatchLease>) => Effect.provide(effect, fresh())

    it.live("the first watcher acquires; a second is told who holds it", () =>
      run(
        Effect.gen(function* () {
          const lease = yield* WatchLease
          expect(yield* lease.acquire(aHolder("first"))).toEqual({ _tag: "Acquired" })
          const second = yield* lease.acquire(aHolder("second"))
          expect(second._tag).toBe("Held")
          if (second._tag === "Held") expect(second.holder).toEqual(aHolder("first"))
        })
      )
    )

    it.live("the holder acquires again (each pass renews); after it releases, the next one acquires", () =>
      run(
        Effect.gen(function* () {
          const lease = yield* WatchLease
          yield* lease.acquire(aHolder("first"))
          expect(yield* lease.acquire(aHolder("first"))).toEqual({ _tag: "Acquired" })
          yield* lease.release("second")
          expect((yield* lease.acquire(aHolder("second")))._tag).toBe("Held")
          yield* lease.release("first")
          expect(yield* lease.acquire(aHolder("second"))).toEqual({ _tag: "Acquired" })
          expect((yield* lease.acquire(aHolder("first")))._tag).toBe("Held")
        })
      )
    )

    it.live("of many watchers acquiring at once, exactly one acts", () =>
      run(
        Effect.gen(function* () {
          const lease = yield* WatchLease
          const answers = yield* Effect.forEach(
            Array.from({ length: 8 }, (_, index) => aHolder(`w${index}`)),
            (holder) => lease.acquire(holder),
            { concurrency: "unbounded" }
          )
          expect(answers.filter((answer) => answer._tag === "Acquired")).toHaveLength(1)
        })
      )
    )
  })
