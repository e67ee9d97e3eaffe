import {
  type BrokenSessionRecord,
  isEnded,
  type Session,
  SessionAlreadyExists,
  SessionLocked,
  SessionNotFound,
  SessionRecordBroken,
  SessionStore,
  type StoredSession,
  type StrayTemporary,
  type SupersededSession
} from "@ao/domain"
import { Clock, DateTime, Duration, Effect, FiberRef, HashSet, Layer, Option, Order, Ref, SynchronizedRef } from "effect"

export interface MemorySessionStoreOptions {
  readonly sessions?: ReadonlyArray<Session>
  /** Records that cannot be decoded, as the disk store would list them. */
  readonly broken?: ReadonlyArray<BrokenSessionRecord>
  /** Locks left by holders that died, as a crashed ao process leaves its lock file: the next taker breaks them. */
  readonly staleLocks?: ReadonlyArray<{ readonly id: string; readonly holderPid: number }>
  /** Locks another, live ao process holds and does not let go of: takers wait `lockWait`, then fail with SessionLocked. */
  readonly liveLocks?: ReadonlyArray<{ readonly id: string; readonly holderPid: number }>
  /** How long a taker waits for another process's lock (the disk store's default: 10 seconds). */
  readonly lockWait?: Duration.DurationInput
  /** Temporary files writers left in the store's directories; a writer is alive when it is this process. */
  readonly temporaries?: ReadonlyArray<TemporarySeed>
}

/** A temporary file a store write left in `dir` (`locks`, `archive`, …), last changed `ageMinutes` ago. */
export interface TemporarySeed {
  readonly dir: string
  readonly writerPid: number
  readonly ageMinutes: number
  readonly bytes: number
}

type Entry = StoredSession

const idOf = (entry: Entry): string => (entry._tag === "Readable" ? entry.session.id : entry.record.id)

const isListed = (entry: Entry, query: { readonly projectId?: string; readonly includeEnded: boolean }): boolean => {
  if (entry._tag === "Broken") {
    // A broken record is never invisible: only a salvaged project id that differs hides it.
    const projectId = entry.record.salvage.projectId
    return query.projectId === undefined || projectId === undefined || projectId === query.projectId
  }
  const { session } = entry
  return (query.projectId === undefined || session.projectId === query.projectId) && (query.includeEnded || !isEnded(session.status))
}

/**
 * A SessionStore in memory with the disk store's semantics: exclusive create
 * under the lock, a per-session lock re-entrant within a fiber, another
 * process's live lock waited for and then SessionLocked, a dead holder's lock
 * broken by the next taker, ended sessions listed only on request.
 */
export const makeMemorySessionStore = (options: MemorySessionStoreOptions = {}) =>
  Effect.gen(function* () {
    const entries = yield* Ref.make(
      new Map<string, Entry>([
        ...(options.sessions ?? []).map((session): [string, Entry] => [session.id, { _tag: "Readable", session }]),
        ...(options.broken ?? []).map((record): [string, Entry] => [record.id, { _tag: "Broken", record }])
      ])
    )
    // One semaphore per id, created on first use; the FiberRef makes the lock re-entrant.
    const semaphores = yield* SynchronizedRef.make(new Map<string, Effect.Semaphore>())
    // Not FiberRef.make: that would tie the ref to a scope the store does not need.
    const held = yield* Effect.sync(() => FiberRef.unsafeMake(HashSet.empty<string>()))
    // Which ids a fiber holds right now, and the stale locks a test seeded.
    const taken = yield* Ref.make(new Map<string, number>())
    const stale = yield* Ref.make(new Map((options.staleLocks ?? []).map((lock) => [lock.id, lock.holderPid] as const)))
    const elsewhere = new Map((options.liveLocks ?? []).map((lock) => [lock.id, lock.holderPid] as const))
    const wait = Duration.decode(options.lockWait ?? Duration.seconds(10))
    const builtAt = yield* Clock.currentTimeMillis
    // Named as the disk store names them: `<dir>/.<writer pid>-<random>.tmp`.
    const temporaries = yield* Ref.make(
      (options.temporaries ?? []).map((seed, index): StrayTemporary => ({
        path: `/store/${seed.dir}/.${seed.writerPid}-${index.toString(16).padStart(12, "0")}.tmp`,
        bytes: seed.bytes,
        modifiedAt: DateTime.unsafeMake(builtAt - seed.ageMinutes * 60_000),
        writerPid: seed.writerPid,
        writerAlive: seed.writerPid === process.pid
      }))
    )
    const countTaken = (id: string, delta: number) =>
      Ref.update(taken, (map) => {
        const next = new Map(map)
        const count = (next.get(id) ?? 0) + delta
        if (count === 0) next.delete(id)
        else next.set(id, count)
        return next
      })

    const semaphoreFor = (id: string) =>
      SynchronizedRef.modifyEffect(semaphores, (map) => {
        const existing = map.get(id)
        if (existing !== undefined) return Effect.succeed([existing, map] as const)
        return Effect.map(Effect.makeSemaphore(1), (created) => [created, new Map(map).set(id, created)] as const)
      })

    /** Taking the lock as the disk store does: another process's live lock is waited for, a dead one's broken. */
    const take = (id: string): Effect.Effect<void, SessionLocked> => {
      const holderPid = elsewhere.get(id)
      if (holderPid !== undefined) return Effect.zipRight(Effect.sleep(wait), new SessionLocked({ id, holderPid }))
      return Effect.zipRight(
        Ref.update(stale, (map) => {
          const next = new Map(map)
          next.delete(id)
          return next
        }),
        countTaken(id, 1)
      )
    }

    const withLock = <A, E, R>(id: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | SessionLocked, R> =>
      Effect.flatMap(FiberRef.get(held), (ids) =>
        HashSet.has(ids, id)
          ? effect
          : Effect.flatMap(semaphoreFor(id), (semaphore) =>
              semaphore.withPermits(1)(
                Effect.acquireUseRelease(
                  take(id),
                  () => Effect.locallyWith(effect, held, HashSet.add(id)),
                  () => countTaken(id, -1)
                )
              )
            )
      )

    const lookup = (id: string) => Effect.map(Ref.get(entries), (map) => Option.fromNullable(map.get(id)))

    const forget = (id: string) =>
      Ref.update(entries, (map) => {
        const next = new Map(map)
        next.delete(id)
        return next
      })

    const inspect = Effect.fn("MemorySessionStore.inspect")(function* (id: string) {
      const entry = yield* lookup(id)
      if (Option.isNone(entry)) return yield* new SessionNotFound({ id })
      return entry.value
    })

    const get = Effect.fn("MemorySessionStore.get")(function* (id: string) {
      const entry = yield* inspect(id)
      if (entry._tag === "Broken") return yield* new SessionRecordBroken({ id, path: entry.record.path, problem: entry.record.problem })
      return entry.session
    })

    const createUnlocked = Effect.fn("MemorySessionStore.create")(function* (
      session: Session,
      createOptions?: { readonly supersedeEnded?: boolean }
    ) {
      const outcome = yield* Ref.modify(
        entries,
        (map): [Option.Option<SupersededSession> | "taken", Map<string, Entry>] => {
          const existing = map.get(session.id)
          const next = new Map(map).set(session.id, { _tag: "Readable", session })
          if (existing === undefined) return [Option.none(), next]
          if (createOptions?.supersedeEnded !== true || existing._tag === "Broken" || !isEnded(existing.session.status)) {
            return ["taken", map]
          }
          const ended = existing.session
          return [Option.some({ session: ended, keptAt: `superseded/${ended.id}.${DateTime.formatIso(ended.createdAt)}.json` }), next]
        }
      )
      if (outcome === "taken") return yield* new SessionAlreadyExists({ id: session.id })
      return outcome
    })

    return SessionStore.of({
      create: (session: Session, createOptions?: { readonly supersedeEnded?: boolean }) =>
        withLock(session.id, createUnlocked(session, createOptions)),
      get,
      inspect,
      list: (query) =>
        Effect.map(Ref.get(entries), (map) =>
          [...map.values()].filter((entry) => isListed(entry, query)).sort((a, b) => Order.string(idOf(a), idOf(b)))
        ),
      names: Effect.map(Ref.get(entries), (map) => [...map.keys()].sort()),
      update: (id, change) =>
        withLock(
          id,
          Effect.gen(function* () {
            const updated = yield* Effect.flatMap(get(id), change)
            yield* Ref.update(entries, (map) => new Map(map).set(id, { _tag: "Readable", session: updated }))
            return updated
          })
        ),
      withLock,
      remove: (id) => withLock(id, forget(id)),
      discardBroken: (id) => withLock(id, Effect.zipRight(inspect(id), forget(id))),
      locks: Effect.map(Effect.all([Ref.get(taken), Ref.get(stale)]), ([live, dead]) =>
        [
          ...[...live.keys()].map((id) => ({ id, holderPid: null, stale: false })),
          ...[...elsewhere].map(([id, holderPid]) => ({ id, holderPid, stale: false })),
          ...[...dead].map(([id, holderPid]) => ({ id, holderPid, stale: true }))
        ].sort((a, b) => Order.string(a.id, b.id))
      ),
      clearStaleLock: (id) =>
        Ref.modify(stale, (map) => {
          if (!map.has(id)) return [false, map]
          const next = new Map(map)
          next.delete(id)
          return [true, next]
        }),
      strayTemporaries: Ref.get(temporaries),
      removeStrayTemporary: ({ modifiedBefore, path }) =>
        Ref.modify(temporaries, (left) => {
          const removable = left.some(
            (stray) => stray.path === path && !stray.writerAlive && DateTime.lessThan(stray.modifiedAt, modifiedBefore)
          )
          return [removable, removable ? left.filter((stray) => stray.path !== path) : left]
        })
    })
  })

export const MemorySessionStore = {
  layer: (options: MemorySessionStoreOptions = {}): Layer.Layer<SessionStore> =>
    Layer.effect(SessionStore, makeMemorySessionStore(options))
}
