import { describe, expect, it } from "@effect/vitest"
import { EventLog, type NewSessionEvent } from "@ao/domain"
import { DateTime, Effect, type Layer } from "effect"

export const anEvent = (sessionId: string, overrides: Partial<NewSessionEvent> = {}): NewSessionEvent => ({
  at: DateTime.unsafeMake("2026-01-02T03:04:05.000Z"),
  sessionId,
  projectId: "app",
  kind: "status-changed",
  from: "working",
  to: "idle",
  reason: "quiet for 5 minutes",
  details: {},
  ...overrides
})

/**
 * What every EventLog must do. `fresh` builds an empty log (the disk one in a
 * new temp dir) that stamps events with `actor`.
 */
export const eventLogContract = (
  name: string,
  fresh: (options: { readonly actor: string }) => Layer.Layer<EventLog, unknown>
) =>
  describe(`EventLog contract: ${name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, EventLog>) => Effect.provide(effect, fresh({ actor: "cli:42" }))

    it.live("an empty log reads as no events, with a cursor that later reads what is appended", () =>
      run(
        Effect.gen(function* () {
          const log = yield* EventLog
          const empty = yield* log.read({})
          expect(empty.events).toEqual([])
          yield* log.append(anEvent("app-1"))
          const next = yield* log.read({ after: empty.cursor })
          expect(next.events.map((event) => event.sessionId)).toEqual(["app-1"])
        })
      )
    )

    it.live("events read back in order, stamped with the actor, with their details", () =>
      run(
        Effect.gen(function* () {
          const log = yield* EventLog
          yield* log.append(anEvent("app-1", { kind: "spawned", from: null, to: "spawning" }))
          yield* log.append(
            anEvent("app-1", { kind: "worktree-removed", details: { head: "abc123", snapshotRef: "refs/ao/snapshots/app-1/1" } })
          )
          yield* log.append(anEvent("app-2", { projectId: null, reason: "quoted \"reason\"\nwith a newline" }))
          const page = yield* log.read({})
          expect(page.events.map((event) => [event.sessionId, event.kind, event.actor])).toEqual([
            ["app-1", "spawned", "cli:42"],
            ["app-1", "worktree-removed", "cli:42"],
            ["app-2", "status-changed", "cli:42"]
          ])
          expect(page.events[1]?.details).toEqual({ head: "abc123", snapshotRef: "refs/ao/snapshots/app-1/1" })
          expect(page.events[2]?.reason).toBe("quoted \"reason\"\nwith a newline")
          expect(page.events[2]?.projectId).toBeNull()
          expect(DateTime.formatIso(page.events[0]!.at)).toBe("2026-01-02T03:04:05.000Z")
        })
      )
    )

    it.live("cursors page through the log and follow new appends", () =>
      run(
        Effect.gen(function* () {
          const log = yield* EventLog
          for (const id of ["s-1", "s-2", "s-3"]) yield* log.append(anEvent(id))
          const first = yield* log.read({ limit: 2 })
          expect(first.events.map((event) => event.sessionId)).toEqual(["s-1", "s-2"])
          const second = yield* log.read({ after: first.cursor, limit: 2 })
          expect(second.events.map((event) => event.sessionId)).toEqual(["s-3"])
          const caughtUp = yield* log.read({ after: second.cursor })
          expect(caughtUp.events).toEqual([])
          expect(caughtUp.cursor).toBe(second.cursor)
          yield* log.append(anEvent("s-4"))
          const followed = yield* log.read({ after: caughtUp.cursor })
          expect(followed.events.map((event) => event.sessionId)).toEqual(["s-4"])
        })
      )
    )

    it.live("each event carries its own cursor: reading after it resumes just past that event", () =>
      run(
        Effect.gen(function* () {
          const log = yield* EventLog
          for (const id of ["c-1", "c-2", "c-3"]) yield* log.append(anEvent(id))
          const whole = yield* log.read({})
          expect(whole.cursors).toHaveLength(3)
          expect(whole.cursors[2]).toBe(whole.cursor)
          const afterFirst = yield* log.read({ after: whole.cursors[0]! })
          expect(afterFirst.events.map((event) => event.sessionId)).toEqual(["c-2", "c-3"])
          expect(afterFirst.cursors).toEqual(whole.cursors.slice(1))
          expect((yield* log.read({ after: whole.cursors[1]!, limit: 1 })).events.map((event) => event.sessionId)).toEqual(["c-3"])
        })
      )
    )

    it.live("a cursor the log never returned is an EventLogFailed, not a silent restart", () =>
      run(
        Effect.gen(function* () {
          const log = yield* EventLog
          const failure = yield* Effect.flip(log.read({ after: "not-a-cursor" }))
          expect(failure._tag).toBe("EventLogFailed")
        })
      )
    )
  })
