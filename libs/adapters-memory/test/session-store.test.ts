import { describe, expect, it } from "@effect/vitest"
import { SessionRecordBroken, SessionStore } from "@ao/domain"
import { Effect } from "effect"
import { aSession, sessionStoreContract } from "../src/contracts/session-store"
import { MemorySessionStore } from "../src/session-store"

sessionStoreContract("memory", (seed) => MemorySessionStore.layer(seed ?? {}))

describe("MemorySessionStore broken records", () => {
  const broken = { id: "app-9", path: "memory/app-9.json", problem: "truncated", salvage: { projectId: "app" } }
  const run = <A, E>(effect: Effect.Effect<A, E, SessionStore>) =>
    Effect.provide(effect, MemorySessionStore.layer({ sessions: [aSession("app-1")], broken: [broken] }))

  it.effect("are listed, fail get with SessionRecordBroken, inspect as Broken, and can be discarded", () =>
    run(
      Effect.gen(function* () {
        const store = yield* SessionStore
        expect((yield* store.list({ includeEnded: false })).map((entry) => entry._tag)).toEqual(["Readable", "Broken"])
        expect(yield* store.list({ projectId: "other", includeEnded: false })).toEqual([])
        const failure = yield* Effect.flip(store.get("app-9"))
        expect(failure).toEqual(new SessionRecordBroken({ id: "app-9", path: broken.path, problem: "truncated" }))
        expect(yield* store.inspect("app-9")).toEqual({ _tag: "Broken", record: broken })
        yield* store.discardBroken("app-9")
        expect(yield* store.names).toEqual(["app-1"])
      })
    )
  )
})
