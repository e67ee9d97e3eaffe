import { Context, type DateTime, type Effect, type Option } from "effect"
import type {
  SessionAlreadyExists,
  SessionLocked,
  SessionNotFound,
  SessionRecordBroken,
  StoreFailed
} from "../errors"
import type { Session } from "../session"

/**
 * A session file that cannot be decoded. It is still listed (never invisible)
 * and what could be salvaged from it lets kill and cleanup tear down its tmux
 * session and worktree, so nothing is orphaned.
 */
export interface BrokenSessionRecord {
  readonly id: string
  readonly path: string
  readonly problem: string
  readonly salvage: {
    readonly projectId?: string
    readonly workspacePath?: string
    readonly runtimeHandle?: string
    readonly branch?: string
  }
}

export type StoredSession =
  | { readonly _tag: "Readable"; readonly session: Session }
  | { readonly _tag: "Broken"; readonly record: BrokenSessionRecord }

export interface SessionListQuery {
  readonly projectId?: string
  /** Also list sessions whose status is ended (killed, done); they are archived apart. */
  readonly includeEnded: boolean
}

export type StoreError = StoreFailed | SessionLocked

/**
 * An ended (killed or done) record moved aside so its name can start afresh:
 * `ao spawn` of the issue again. Its file is kept, never deleted.
 */
export interface SupersededSession {
  readonly session: Session
  /** Where the record is kept now (a file under the store's `superseded/`). */
  readonly keptAt: string
}

/** A session's lock as found on disk, for `ao doctor`. */
export interface SessionLockInfo {
  readonly id: string
  /** Null when the lock does not say who holds it (unreadable, or held inside this process). */
  readonly holderPid: number | null
  /** Its holder is gone: the next taker breaks it anyway, but it should not linger. */
  readonly stale: boolean
}

/**
 * A temporary file of the store's (written, then renamed into place) that is
 * still there: its writer was killed, or the disk filled, between the write
 * and the rename. For `ao doctor`.
 */
export interface StrayTemporary {
  readonly path: string
  readonly bytes: number
  readonly modifiedAt: DateTime.Utc
  /** The process its name says wrote it; null when the name does not say. */
  readonly writerPid: number | null
  /** That process still runs (or its pid was reused): it may yet rename the file, so it is never removed. */
  readonly writerAlive: boolean
}

/**
 * Where session records live. Reads never write. Mutations of one session are
 * serialized by a per-session lock that survives a crashed holder; `withLock`
 * and `update` are re-entrant within a fiber, so a use case can hold the lock
 * across several steps and still call `update`.
 */
export class SessionStore extends Context.Tag("@ao/domain/SessionStore")<
  SessionStore,
  {
    /**
     * Reserves the session's name exclusively: of two concurrent creates, one
     * fails with SessionAlreadyExists. With `supersedeEnded`, an ended (killed,
     * done) record of the name is moved aside first and returned; a live one
     * still makes the create fail.
     */
    readonly create: (
      session: Session,
      options?: { readonly supersedeEnded?: boolean }
    ) => Effect.Effect<Option.Option<SupersededSession>, SessionAlreadyExists | StoreError>
    readonly get: (id: string) => Effect.Effect<Session, SessionNotFound | SessionRecordBroken | StoreError>
    /** Like `get`, but a broken record is returned with its salvage instead of failing. */
    readonly inspect: (id: string) => Effect.Effect<StoredSession, SessionNotFound | StoreError>
    readonly list: (query: SessionListQuery) => Effect.Effect<ReadonlyArray<StoredSession>, StoreError>
    /** Every name ever used (active and ended), without decoding the records. */
    readonly names: Effect.Effect<ReadonlyArray<string>, StoreError>
    /** Read-modify-write under the session's lock; the write is atomic. */
    readonly update: <E>(
      id: string,
      change: (session: Session) => Effect.Effect<Session, E>
    ) => Effect.Effect<Session, E | SessionNotFound | SessionRecordBroken | StoreError>
    /** Runs `effect` holding the session's lock (re-entrant). */
    readonly withLock: <A, E, R>(id: string, effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError, R>
    /** Deletes a reservation outright, freeing the name (spawn rollback only). */
    readonly remove: (id: string) => Effect.Effect<void, StoreError>
    /** Moves a broken record aside (its bytes kept) once its session was torn down. */
    readonly discardBroken: (id: string) => Effect.Effect<void, SessionNotFound | StoreError>
    /** Every session lock currently taken, live or stale (`ao doctor`). */
    readonly locks: Effect.Effect<ReadonlyArray<SessionLockInfo>, StoreError>
    /** Removes the lock of `id` if its holder is gone; false when it is live or already gone. */
    readonly clearStaleLock: (id: string) => Effect.Effect<boolean, StoreError>
    /** The temporary files left in the store's directories (`locks/`, `archive/`, …), live writers' included. */
    readonly strayTemporaries: Effect.Effect<ReadonlyArray<StrayTemporary>, StoreError>
    /**
     * Deletes one of them, re-checked first: only when it is still a store
     * temporary, its writer is gone, and it was last changed before
     * `modifiedBefore`. False when it was kept or is gone already.
     */
    readonly removeStrayTemporary: (stray: {
      readonly path: string
      readonly modifiedBefore: DateTime.Utc
    }) => Effect.Effect<boolean, StoreError>
  }
>() {}
