import { SessionStore, spawnSession } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { inWorld } from "./world-fixture"

/** Found by the reliability suite (tools/src/reliability): 20 `ao spawn` at once lost two of them. */
describe("spawnSession under contention", () => {
  it.effect("gives 20 concurrent spawns without an issue 20 distinct numbers, none failing", () =>
    Effect.gen(function* () {
      // Every spawn reads the taken names before any of them reserves one: each round only one wins.
      const store = yield* SessionStore
      const racing = SessionStore.of({ ...store, names: Effect.tap(store.names, () => Effect.yieldNow()) })
      const spawn = spawnSession({ projectId: "my-app" }).pipe(Effect.provideService(SessionStore, racing))
      const sessions = yield* Effect.all(Array.from({ length: 20 }, () => spawn), { concurrency: "unbounded" })
      expect(new Set(sessions.map((spawned) => spawned.session.id)).size).toBe(20)
    }).pipe(inWorld())
  )
})
