import { Clock, Duration, Effect, Ref } from "effect"

/**
 * A cap on requests per minute: at most `perMinute` requests start in any
 * 60-second window. One over the budget waits for the oldest of the window
 * to age out instead of failing, so a watcher slows down rather than
 * reports an outage of its own making.
 */
export interface RequestBudget {
  /** Waits, if need be, until one more request fits in the window, and counts it. */
  readonly take: Effect.Effect<void>
}

const WINDOW_MS = 60_000

export const makeRequestBudget = (perMinute: number): Effect.Effect<RequestBudget> =>
  Effect.gen(function* () {
    const started = yield* Ref.make<ReadonlyArray<number>>([])
    // One taker at a time, so two fibers never both see the last free slot.
    const lock = yield* Effect.makeSemaphore(1)
    const take = lock.withPermits(1)(
      Effect.gen(function* () {
        for (;;) {
          const now = yield* Clock.currentTimeMillis
          const recent = (yield* Ref.get(started)).filter((at) => at > now - WINDOW_MS)
          const oldest = recent[0]
          if (recent.length < perMinute || oldest === undefined) {
            yield* Ref.set(started, [...recent, now])
            return
          }
          yield* Effect.sleep(Duration.millis(oldest + WINDOW_MS - now))
        }
      })
    )
    return { take }
  })
