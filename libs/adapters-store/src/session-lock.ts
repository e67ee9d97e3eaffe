import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { SessionLocked, type SessionLockInfo, type StoreError } from "@ao/domain"
import { Clock, DateTime, Duration, Effect, FiberRef, HashSet, Option, Order, Schema, SynchronizedRef } from "effect"
import {
  createFileExclusive,
  type DiskError,
  ensureDirectory,
  listDirectory,
  modifiedAtMillis,
  readTextIfExists,
  removeFile
} from "./disk"
import { currentProcess, isAlive } from "./process-identity"
import { asStoreFailed } from "./store-failure"

/** What a lock file records about its holder, readable by people and by other ao processes. */
const LockHolder = Schema.parseJson(
  Schema.Struct({
    pid: Schema.Int,
    startTicks: Schema.NullOr(Schema.String),
    acquiredAt: Schema.String,
    nonce: Schema.String,
    /** Taken to create the session: the name is being reserved (absent in older lock files). */
    creating: Schema.optional(Schema.Boolean)
  })
)
type LockHolder = typeof LockHolder.Type
const decodeHolder = Schema.decodeUnknownOption(LockHolder)

/** A breaker crashed in the instant between taking and releasing the breaker file. */
const STALE_BREAKER = Duration.seconds(5)

export interface SessionLocksOptions {
  readonly locksDir: string
  /** How long to wait for a live holder before failing with SessionLocked. */
  readonly wait?: Duration.DurationInput
}

/**
 * Per-session locks: a semaphore orders the fibers of this process, a lock
 * file (created exclusively) orders processes. A lock whose holder died —
 * pid gone, or pid reused by another process — is broken, not waited on.
 */
export const makeSessionLocks = (options: SessionLocksOptions) =>
  Effect.gen(function* () {
    const wait = Duration.decode(options.wait ?? Duration.seconds(10))
    const semaphores = yield* SynchronizedRef.make(new Map<string, Effect.Semaphore>())
    // Not FiberRef.make: that would tie the ref to a scope the store does not need.
    const held = yield* Effect.sync(() => FiberRef.unsafeMake(HashSet.empty<string>()))
    const me = currentProcess()

    const semaphoreFor = (id: string) =>
      SynchronizedRef.modifyEffect(semaphores, (map) => {
        const existing = map.get(id)
        if (existing !== undefined) return Effect.succeed([existing, map] as const)
        return Effect.map(Effect.makeSemaphore(1), (created) => [created, new Map(map).set(id, created)] as const)
      })

    const lockPath = (id: string) => join(options.locksDir, `${id}.lock`)

    const readHolder = (path: string) =>
      Effect.map(readTextIfExists(path), Option.map((text) => decodeHolder(text)))

    /**
     * Removes the stale lock `nonce`, unless another process replaced it meanwhile.
     * Some(pid) when another process (`pid`) is breaking it right now: then the
     * taker waits for it as for a live holder.
     */
    const breakStale = Effect.fn("SessionLocks.breakStale")(function* (path: string, nonce: Option.Option<string>) {
      const breaker = `${path}.break`
      const breaking = yield* createFileExclusive(breaker, `${me.pid}\n`, "volatile").pipe(
        Effect.as(true),
        Effect.catchIf(
          (error) => error.code === "EEXIST",
          () => Effect.succeed(false)
        )
      )
      if (!breaking) {
        const modified = yield* modifiedAtMillis(breaker)
        const now = yield* Clock.currentTimeMillis
        if (Option.isNone(modified)) return Option.none<number>()
        if (now - modified.value > Duration.toMillis(STALE_BREAKER)) {
          yield* removeFile(breaker)
          return Option.none<number>()
        }
        const breakerPid = Number.parseInt(Option.getOrElse(yield* readTextIfExists(breaker), () => ""), 10)
        return Option.some(Number.isInteger(breakerPid) ? breakerPid : 0)
      }
      yield* Effect.ensuring(
        Effect.gen(function* () {
          const current = yield* readHolder(path)
          const currentNonce = Option.flatMap(current, Option.map((holder) => holder.nonce))
          if (Option.isSome(current) && Option.getOrUndefined(currentNonce) === Option.getOrUndefined(nonce)) {
            yield* removeFile(path)
          }
        }),
        Effect.ignore(removeFile(breaker))
      )
      return Option.none<number>()
    })

    const acquire = Effect.fn("SessionLocks.acquire")(function* (id: string, creating: boolean) {
      const path = lockPath(id)
      yield* ensureDirectory(options.locksDir)
      const nonce = randomBytes(8).toString("hex")
      const holder: LockHolder = {
        pid: me.pid,
        startTicks: me.startTicks,
        acquiredAt: DateTime.formatIso(yield* DateTime.now),
        nonce,
        ...(creating ? { creating } : {})
      }
      const content = `${JSON.stringify(holder, null, 2)}\n`
      const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(wait)
      let pause = 5
      while (true) {
        const created = yield* createFileExclusive(path, content, "volatile").pipe(
          Effect.as(true),
          Effect.catchIf(
            (error: DiskError) => error.code === "EEXIST",
            () => Effect.succeed(false)
          )
        )
        if (created) return nonce
        const current = yield* readHolder(path)
        if (Option.isNone(current)) continue
        let holderPid: number
        // A lock file is written whole (hard link), so one that does not decode was damaged: break it.
        if (Option.isNone(current.value) || !isAlive(current.value.value)) {
          const breaker = yield* breakStale(path, Option.map(current.value, (stale) => stale.nonce))
          if (Option.isNone(breaker)) continue
          // Another process is breaking it: wait for that one as for a live holder.
          holderPid = breaker.value
        } else holderPid = current.value.value.pid
        if ((yield* Clock.currentTimeMillis) >= deadline) return yield* new SessionLocked({ id, holderPid })
        yield* Effect.sleep(Duration.millis(pause))
        pause = Math.min(pause * 2, 100)
      }
    })

    const release = (id: string, nonce: string) =>
      Effect.gen(function* () {
        const path = lockPath(id)
        const current = yield* readHolder(path)
        if (Option.isSome(current) && Option.isSome(current.value) && current.value.value.nonce === nonce) {
          yield* removeFile(path)
        }
      })

    const withFileLock = <A, E, R>(id: string, creating: boolean, effect: Effect.Effect<A, E, R>) =>
      Effect.acquireUseRelease(
        asStoreFailed(acquire(id, creating)),
        () => effect,
        // A lock that cannot be removed is broken by the next taker once this process is gone.
        (nonce) => Effect.ignore(release(id, nonce))
      )

    const locked =
      (creating: boolean) =>
      <A, E, R>(id: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | StoreError, R> =>
        Effect.flatMap(FiberRef.get(held), (ids) =>
          HashSet.has(ids, id)
            ? effect
            : Effect.flatMap(semaphoreFor(id), (semaphore) =>
                semaphore.withPermits(1)(withFileLock(id, creating, Effect.locallyWith(effect, held, HashSet.add(id))))
              )
        )

    /** Whether a live process holds the lock of `id` to create that session: the name is being reserved. */
    const heldToCreate = (id: string) =>
      Effect.map(readHolder(lockPath(id)), (found) =>
        Option.match(Option.flatten(found), { onNone: () => false, onSome: (holder) => holder.creating === true && isAlive(holder) })
      )

    /** Every lock file and whether its holder is gone (`ao doctor`); reading never breaks one. */
    const inventory = Effect.flatMap(listDirectory(options.locksDir), (entries) =>
      Effect.forEach(
        entries.flatMap((entry) => (entry.endsWith(".lock") ? [entry.slice(0, -".lock".length)] : [])),
        (id) =>
          Effect.map(readHolder(lockPath(id)), (found) =>
            Option.map(found, (holder): SessionLockInfo => ({
              id,
              holderPid: Option.match(holder, { onNone: () => null, onSome: (live) => live.pid }),
              stale: Option.match(holder, { onNone: () => true, onSome: (live) => !isAlive(live) })
            }))
          ),
        { concurrency: 16 }
      ).pipe(Effect.map((found) => found.flatMap(Option.toArray).sort((a, b) => Order.string(a.id, b.id))))
    )

    /** Breaks the lock of `id` if its holder is gone, the way a taker would; false when it is live or gone. */
    const clearStale = Effect.fn("SessionLocks.clearStale")(function* (id: string) {
      const path = lockPath(id)
      const current = yield* readHolder(path)
      if (Option.isNone(current)) return false
      if (Option.isSome(current.value) && isAlive(current.value.value)) return false
      yield* breakStale(path, Option.map(current.value, (stale) => stale.nonce))
      return Option.isNone(yield* readTextIfExists(path))
    })

    return {
      withLock: locked(false),
      /** The lock a create takes: it says so in the lock file, for a concurrent create of the same name. */
      withCreateLock: locked(true),
      heldToCreate: (id: string) => asStoreFailed(heldToCreate(id)),
      inventory: asStoreFailed(inventory),
      clearStale: (id: string) => asStoreFailed(clearStale(id))
    }
  })
