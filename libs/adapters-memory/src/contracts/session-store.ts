import { describe, expect, it } from "@effect/vitest"
import {
  IssueId,
  ProjectId,
  Session,
  SessionName,
  SessionStore,
  type SessionStatus,
  type StoredSession
} from "@ao/domain"
import { DateTime, type Duration, Effect, Exit, type Layer, Option, Schema } from "effect"

/** A valid session record; `overrides` set what a test cares about. */
export const aSession = (
  id: string,
  overrides: Partial<Omit<ConstructorParameters<typeof Session>[0], "id">> = {}
): Session =>
  new Session({
    id: SessionName.make(id),
    projectId: ProjectId.make("app"),
    issueId: Option.none(),
    branch: `ao/${id}`,
    workspacePath: `/worktrees/app-${id}`,
    runtimeHandle: id,
    agent: "claude",
    status: "working",
    statusReason: "spawned",
    pr: Option.none(),
    createdAt: DateTime.unsafeMake("2026-01-02T03:04:05.000Z"),
    lastActivityAt: DateTime.unsafeMake("2026-01-02T03:04:05.000Z"),
    restoredAt: Option.none(),
    snapshotRef: Option.none(),
    ...overrides
  })

const encoded = (session: Session) => Schema.encodeSync(Session)(session)
const idsOf = (stored: ReadonlyArray<StoredSession>) =>
  stored.map((entry) => (entry._tag === "Readable" ? entry.session.id : entry.record.id))
const withStatus = (status: SessionStatus) => (session: Session) =>
  Effect.succeed(new Session({ ...session, status }))

/** Locks other ao processes left before the store is built (the disk store: lock files). */
export interface LockSeed {
  /** Held by a live process that keeps them (the disk store: a lock file naming a running process). */
  readonly liveLocks?: ReadonlyArray<{ readonly id: string; readonly holderPid: number }>
  /** Left by a holder that died (the disk store: its pid is gone or now another process's). */
  readonly staleLocks?: ReadonlyArray<{ readonly id: string; readonly holderPid: number }>
  /** How long a taker waits for a live lock before SessionLocked. */
  readonly lockWait?: Duration.DurationInput
  /** Temporary files writers left (the disk store: `.<pid>-<random>.tmp` in that directory, that old). */
  readonly temporaries?: ReadonlyArray<{ readonly dir: "locks" | "archive"; readonly writerPid: number; readonly ageMinutes: number; readonly bytes: number }>
}

/** A pid standing for a process that is gone. */
const DEAD_PID = 999_999

/**
 * What every SessionStore must do. `fresh` builds an empty store (the disk
 * one in a new temp dir) for each test, with the locks `seed` says other
 * processes hold or left.
 */
export const sessionStoreContract = (name: string, fresh: (seed?: LockSeed) => Layer.Layer<SessionStore, unknown>) =>
  describe(`SessionStore contract: ${name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, SessionStore>, seed?: LockSeed) => Effect.provide(effect, fresh(seed))

    it.live("another process's live lock: create, update and withLock wait for it, then fail with SessionLocked naming it", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          const locked = { _tag: "SessionLocked", id: "app-1", holderPid: process.pid }
          expect(yield* Effect.flip(store.create(aSession("app-1")))).toMatchObject(locked)
          expect(yield* store.names).toEqual([])
          expect(yield* Effect.flip(store.withLock("app-1", Effect.void))).toMatchObject(locked)
          yield* store.create(aSession("app-2"))
          expect(yield* store.locks).toEqual([{ id: "app-1", holderPid: process.pid, stale: false }])
          expect(yield* store.clearStaleLock("app-1")).toBe(false)
        }),
        { liveLocks: [{ id: "app-1", holderPid: process.pid }], lockWait: "100 millis" }
      )
    )

    it.live("a lock whose holder died is listed as stale and broken by the next taker", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          expect(yield* store.locks).toEqual([
            { id: "app-1", holderPid: DEAD_PID, stale: true },
            { id: "app-2", holderPid: DEAD_PID, stale: true }
          ])
          yield* store.create(aSession("app-1"))
          expect((yield* store.update("app-1", withStatus("idle"))).status).toBe("idle")
          expect(yield* store.locks).toEqual([{ id: "app-2", holderPid: DEAD_PID, stale: true }])
          expect(yield* store.clearStaleLock("app-2")).toBe(true)
          expect(yield* store.locks).toEqual([])
        }),
        {
          staleLocks: [
            { id: "app-1", holderPid: DEAD_PID },
            { id: "app-2", holderPid: DEAD_PID }
          ],
          lockWait: "100 millis"
        }
      )
    )

    it.live("lists the temporaries writers left, and deletes one only when its writer is gone and it is old enough", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          const left = yield* store.strayTemporaries
          const named = (dir: string, pid: number) => left.find((stray) => new RegExp(`${dir}/\\.${pid}-[0-9a-f]+\\.tmp$`).test(stray.path))
          const deadOld = named("locks", DEAD_PID)
          const deadYoung = named("archive", DEAD_PID)
          const liveOld = named("archive", process.pid)
          expect(left).toHaveLength(3)
          expect(deadOld).toMatchObject({ bytes: 0, writerPid: DEAD_PID, writerAlive: false })
          expect(deadYoung).toMatchObject({ bytes: 12, writerAlive: false })
          expect(liveOld).toMatchObject({ writerPid: process.pid, writerAlive: true })
          const now = yield* DateTime.now
          expect(DateTime.distance(deadOld?.modifiedAt ?? now, now)).toBeGreaterThan(50 * 60_000)
          const modifiedBefore = DateTime.subtract(now, { minutes: 10 })
          expect(yield* store.removeStrayTemporary({ path: deadYoung?.path ?? "", modifiedBefore })).toBe(false)
          expect(yield* store.removeStrayTemporary({ path: liveOld?.path ?? "", modifiedBefore })).toBe(false)
          expect(yield* store.removeStrayTemporary({ path: deadOld?.path ?? "", modifiedBefore })).toBe(true)
          expect(yield* store.removeStrayTemporary({ path: deadOld?.path ?? "", modifiedBefore })).toBe(false)
          expect((yield* store.strayTemporaries).map((stray) => stray.path).sort()).toEqual([deadYoung?.path, liveOld?.path].sort())
        }),
        {
          temporaries: [
            { dir: "locks", writerPid: DEAD_PID, ageMinutes: 60, bytes: 0 },
            { dir: "archive", writerPid: DEAD_PID, ageMinutes: 1, bytes: 12 },
            { dir: "archive", writerPid: process.pid, ageMinutes: 60, bytes: 3 }
          ]
        }
      )
    )

    it.live("create then get returns the same session; unknown ids are SessionNotFound", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          const session = aSession("app-1", { issueId: Option.some(Schema.decodeSync(IssueId)("INT-1")) })
          yield* store.create(session)
          expect(encoded(yield* store.get("app-1"))).toEqual(encoded(session))
          const inspected = yield* store.inspect("app-1")
          expect(inspected._tag).toBe("Readable")
          const missing = yield* Effect.flip(store.get("app-404"))
          expect(missing._tag).toBe("SessionNotFound")
          expect((yield* Effect.flip(store.inspect("app-404")))._tag).toBe("SessionNotFound")
        })
      )
    )

    it.live("of two concurrent creates of one name, exactly one fails with SessionAlreadyExists", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          const exits = yield* Effect.all(
            [store.create(aSession("app-1", { agent: "claude" })), store.create(aSession("app-1", { agent: "codex" }))],
            { concurrency: "unbounded", mode: "either" }
          )
          const failures = exits.filter((result) => result._tag === "Left")
          expect(failures).toHaveLength(1)
          expect(failures[0]?._tag === "Left" && failures[0].left._tag).toBe("SessionAlreadyExists")
          const winner = exits.findIndex((result) => result._tag === "Right")
          expect((yield* store.get("app-1")).agent).toBe(winner === 0 ? "claude" : "codex")
        })
      )
    )

    it.live("update writes the change; a failing change leaves the record as it was", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.create(aSession("app-1"))
          const updated = yield* store.update("app-1", withStatus("idle"))
          expect(updated.status).toBe("idle")
          expect((yield* store.get("app-1")).status).toBe("idle")
          const failed = yield* Effect.exit(store.update("app-1", () => Effect.fail("nope" as const)))
          expect(failed).toEqual(Exit.fail("nope"))
          expect((yield* store.get("app-1")).status).toBe("idle")
          expect((yield* Effect.flip(store.update("app-404", withStatus("idle"))))._tag).toBe("SessionNotFound")
        })
      )
    )

    it.live("20 concurrent updates of one session all land", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.create(aSession("app-1", { statusReason: "0" }))
          const increment = store.update("app-1", (session) =>
            Effect.as(Effect.yieldNow(), new Session({ ...session, statusReason: String(Number(session.statusReason) + 1) }))
          )
          yield* Effect.all(Array.from({ length: 20 }, () => increment), { concurrency: "unbounded", discard: true })
          expect((yield* store.get("app-1")).statusReason).toBe("20")
        })
      )
    )

    it.live("withLock is re-entrant: update inside withLock of the same session completes", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.create(aSession("app-1"))
          const result = yield* store.withLock(
            "app-1",
            store.withLock("app-1", Effect.zipRight(store.update("app-1", withStatus("exited")), Effect.succeed("held")))
          )
          expect(result).toBe("held")
          expect((yield* store.get("app-1")).status).toBe("exited")
        })
      )
    )

    it.live("locks lists a lock while it is held, as live; clearStaleLock leaves a live lock alone", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.create(aSession("app-1"))
          expect(yield* store.locks).toEqual([])
          const whileHeld = yield* store.withLock(
            "app-1",
            Effect.all({ locks: store.locks, cleared: store.clearStaleLock("app-1") })
          )
          expect(whileHeld.locks.map((lock) => [lock.id, lock.stale])).toEqual([["app-1", false]])
          expect(whileHeld.cleared).toBe(false)
          expect(yield* store.locks).toEqual([])
          expect(yield* store.clearStaleLock("app-1")).toBe(false)
        })
      )
    )

    it.live("list filters by project and hides ended sessions unless includeEnded; names lists all", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.create(aSession("app-1"))
          yield* store.create(aSession("app-2", { status: "killed" }))
          yield* store.create(aSession("app-3"))
          yield* store.update("app-3", withStatus("done"))
          yield* store.create(aSession("lib-1", { projectId: ProjectId.make("lib"), status: "exited" }))

          expect(idsOf(yield* store.list({ includeEnded: false }))).toEqual(["app-1", "lib-1"])
          expect(idsOf(yield* store.list({ includeEnded: true }))).toEqual(["app-1", "app-2", "app-3", "lib-1"])
          expect(idsOf(yield* store.list({ projectId: "app", includeEnded: false }))).toEqual(["app-1"])
          expect(idsOf(yield* store.list({ projectId: "lib", includeEnded: true }))).toEqual(["lib-1"])
          expect([...(yield* store.names)].sort()).toEqual(["app-1", "app-2", "app-3", "lib-1"])
        })
      )
    )

    it.live("an ended session stays readable, and updating it back to a live status lists it again", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.create(aSession("app-1"))
          yield* store.update("app-1", withStatus("killed"))
          expect((yield* store.get("app-1")).status).toBe("killed")
          expect(idsOf(yield* store.list({ includeEnded: false }))).toEqual([])
          yield* store.update("app-1", withStatus("working"))
          expect(idsOf(yield* store.list({ includeEnded: false }))).toEqual(["app-1"])
          expect((yield* Effect.flip(store.create(aSession("app-1"))))._tag).toBe("SessionAlreadyExists")
        })
      )
    )

    it.live("create with supersedeEnded moves an ended record aside and keeps it; a live record still blocks", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.create(aSession("app-1"))
          const live = yield* Effect.flip(store.create(aSession("app-1", { agent: "codex" }), { supersedeEnded: true }))
          expect(live._tag).toBe("SessionAlreadyExists")
          yield* store.update("app-1", withStatus("killed"))
          expect((yield* Effect.flip(store.create(aSession("app-1", { agent: "codex" }))))._tag).toBe("SessionAlreadyExists")
          const fresh = aSession("app-1", { agent: "codex", createdAt: DateTime.unsafeMake("2026-02-01T00:00:00.000Z") })
          const superseded = yield* store.create(fresh, { supersedeEnded: true })
          expect(Option.map(superseded, (kept) => [kept.session.status, kept.session.agent])).toEqual(Option.some(["killed", "claude"]))
          expect(Option.getOrThrow(superseded).keptAt).toContain("superseded")
          expect(encoded(yield* store.get("app-1"))).toEqual(encoded(fresh))
          expect(idsOf(yield* store.list({ includeEnded: true }))).toEqual(["app-1"])
        })
      )
    )

    it.live("remove frees the name; discardBroken of an unknown id is SessionNotFound", () =>
      run(
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.create(aSession("app-1"))
          yield* store.remove("app-1")
          expect(yield* store.names).toEqual([])
          expect((yield* Effect.flip(store.get("app-1")))._tag).toBe("SessionNotFound")
          yield* store.create(aSession("app-1"))
          expect((yield* Effect.flip(store.discardBroken("app-404")))._tag).toBe("SessionNotFound")
        })
      )
    )
  })
