import { dirname, join } from "node:path"
import {
  isEnded,
  type Session,
  SessionAlreadyExists,
  type SessionLocked,
  sessionNameProblem,
  SessionNotFound,
  SessionRecordBroken,
  SessionStore,
  type SessionListQuery,
  type StoredSession,
  type SupersededSession
} from "@ao/domain"
import { DateTime, type Duration, Effect, Layer, Option, Order } from "effect"
import {
  createFileExclusive,
  ensureDirectory,
  exists,
  listDirectory,
  moveFile,
  readTextIfExists,
  removeDeadTemporary,
  removeFile,
  temporariesIn,
  writeFileAtomic
} from "./disk"
import { decodeSessionFile, encodeSessionFile } from "./session-file"
import { makeSessionLocks } from "./session-lock"
import { asStoreFailed } from "./store-failure"

export interface SessionStoreOptions {
  readonly dataDir: string
  /** How long a mutation waits for another process's lock before failing with SessionLocked. */
  readonly lockWait?: Duration.DurationInput
}

/**
 * Where each kind of file lives. Ended sessions sit in `archive/` so listing
 * the active ones costs the same however much history piles up.
 */
export const storeLayout = (dataDir: string) => ({
  active: join(dataDir, "sessions"),
  archive: join(dataDir, "archive"),
  broken: join(dataDir, "broken"),
  /** Ended records whose name was spawned afresh, one file per generation. */
  superseded: join(dataDir, "superseded"),
  locks: join(dataDir, "locks")
})

/** `2026-11-23T23-15-00-123Z`: a timestamp that is safe in a file name. */
const fileStamp = (at: DateTime.DateTime) => DateTime.formatIso(at).replace(/[:.]/g, "-")

type Place = "active" | "archive"

const placeFor = (session: Session): Place => (isEnded(session.status) ? "archive" : "active")
const idOf = (stored: StoredSession) => (stored._tag === "Readable" ? stored.session.id : stored.record.id)
const SESSION_FILE = /^([a-z0-9][a-z0-9._-]*)\.json$/

const isListed = (stored: StoredSession, query: SessionListQuery, place: Place): boolean => {
  if (stored._tag === "Broken") {
    // Never invisible: only a salvaged project id that differs hides a broken record.
    const projectId = stored.record.salvage.projectId
    return query.projectId === undefined || projectId === undefined || projectId === query.projectId
  }
  const { session } = stored
  const ended = place === "archive" || isEnded(session.status)
  return (query.projectId === undefined || session.projectId === query.projectId) && (query.includeEnded || !ended)
}

/** One pretty-printed JSON file per session; writes are atomic and locked, reads never write. */
export const makeSessionStore = (options: SessionStoreOptions) =>
  Effect.gen(function* () {
    const layout = storeLayout(options.dataDir)
    const locks = yield* makeSessionLocks({
      locksDir: layout.locks,
      ...(options.lockWait === undefined ? {} : { wait: options.lockWait })
    })
    const fileOf = (place: Place, id: string) => join(layout[place], `${id}.json`)

    const read = (place: Place, id: string) =>
      Effect.map(readTextIfExists(fileOf(place, id)), Option.map((text) => decodeSessionFile(id, fileOf(place, id), text)))

    /** The record and where it is; the active copy wins if a crash left both. */
    const find = (id: string) =>
      asStoreFailed(
        sessionNameProblem(id) !== undefined
          ? Effect.succeedNone
          : Effect.flatMap(read("active", id), (active) =>
              Option.isSome(active)
                ? Effect.succeed(Option.some({ stored: active.value, place: "active" as Place }))
                : Effect.map(read("archive", id), Option.map((stored) => ({ stored, place: "archive" as Place })))
            )
      )

    const inspect = Effect.fn("SessionStore.inspect")(function* (id: string) {
      const found = yield* find(id)
      if (Option.isNone(found)) return yield* new SessionNotFound({ id })
      return found.value
    })

    const readable = Effect.fn("SessionStore.readable")(function* (id: string) {
      const { stored, place } = yield* inspect(id)
      if (stored._tag === "Broken") {
        return yield* new SessionRecordBroken({ id, path: stored.record.path, problem: stored.record.problem })
      }
      return { session: stored.session, place }
    })

    /** Writes `session` where its status belongs, then drops the copy it moved away from. */
    const write = (session: Session, previous: Place) =>
      asStoreFailed(
        Effect.gen(function* () {
          const place = placeFor(session)
          yield* ensureDirectory(layout[place])
          yield* writeFileAtomic(fileOf(place, session.id), encodeSessionFile(session))
          if (place !== previous) yield* removeFile(fileOf(previous, session.id))
        })
      )

    /** Whether a record of `id` is on disk in either place, readable or not. */
    const recorded = (id: string) =>
      Effect.map(Effect.all([exists(fileOf("active", id)), exists(fileOf("archive", id))]), ([active, archived]) => active || archived)

    const idsIn = (place: Place) =>
      Effect.map(listDirectory(layout[place]), (entries) =>
        entries.flatMap((entry) => {
          const id = SESSION_FILE.exec(entry)?.[1]
          return id !== undefined && sessionNameProblem(id) === undefined ? [id] : []
        })
      )

    const listPlace = (place: Place, query: SessionListQuery) =>
      Effect.flatMap(idsIn(place), (ids) =>
        // One after another: the reads are synchronous, so fibers side by side would only add work.
        Effect.forEach(ids, (id) => read(place, id)).pipe(
          // A file gone between listing and reading was moved by a writer; its new place is read too.
          Effect.map((records) =>
            records.flatMap((record) => (Option.isSome(record) && isListed(record.value, query, place) ? [record.value] : []))
          )
        )
      )

    /**
     * A record of `id` in `place` blocks a create, unless it is ended and the
     * caller asked to supersede it: then it moves to `superseded/`, named by
     * its creation time, so every generation of the name is kept.
     */
    const supersedeIn = (place: Place, id: string, supersedeEnded: boolean) =>
      Effect.gen(function* () {
        if (!(yield* asStoreFailed(exists(fileOf(place, id))))) return Option.none<SupersededSession>()
        const found = yield* asStoreFailed(read(place, id))
        if (!supersedeEnded || Option.isNone(found) || found.value._tag === "Broken" || !isEnded(found.value.session.status)) {
          return yield* new SessionAlreadyExists({ id })
        }
        const ended = found.value.session
        const keptAt = join(layout.superseded, `${id}.${fileStamp(ended.createdAt)}.json`)
        yield* asStoreFailed(ensureDirectory(layout.superseded))
        yield* asStoreFailed(moveFile(fileOf(place, id), keptAt))
        return Option.some<SupersededSession>({ session: ended, keptAt })
      })

    return SessionStore.of({
      create: (session, createOptions) =>
        locks
          .withCreateLock(
            session.id,
            Effect.gen(function* () {
              const place = placeFor(session)
              const elsewhere: Place = place === "active" ? "archive" : "active"
              const superseded = yield* supersedeIn(elsewhere, session.id, createOptions?.supersedeEnded === true)
              yield* asStoreFailed(ensureDirectory(layout[place]))
              yield* asStoreFailed(
                createFileExclusive(fileOf(place, session.id), encodeSessionFile(session)).pipe(
                  Effect.catchIf(
                    (error) => error.code === "EEXIST",
                    () => new SessionAlreadyExists({ id: session.id })
                  )
                )
              )
              return superseded
            })
          )
          .pipe(
            // The loser of a race for one name waited for the winner's lock until the deadline; a winner
            // still holding it then (a slow disk) has written its record or is reserving the name: taken, not busy.
            Effect.catchTag("SessionLocked", (locked) =>
              Effect.flatMap(
                Effect.zipWith(asStoreFailed(recorded(session.id)), locks.heldToCreate(session.id), (found, creating) => found || creating),
                (taken): Effect.Effect<never, SessionAlreadyExists | SessionLocked> =>
                  Effect.fail(taken ? new SessionAlreadyExists({ id: session.id }) : locked)
              )
            )
          ),
      get: (id) => Effect.map(readable(id), ({ session }) => session),
      inspect: (id) => Effect.map(inspect(id), ({ stored }) => stored),
      list: (query) =>
        Effect.gen(function* () {
          const active = yield* asStoreFailed(listPlace("active", query))
          const archived = query.includeEnded ? yield* asStoreFailed(listPlace("archive", query)) : []
          const activeIds = new Set(active.map(idOf))
          // Ordinal order: names are ASCII, and locale collation costs more than the listing.
          return [...active, ...archived.filter((stored) => !activeIds.has(idOf(stored)))].sort((a, b) =>
            Order.string(idOf(a), idOf(b))
          )
        }),
      names: asStoreFailed(
        Effect.map(Effect.all([idsIn("active"), idsIn("archive")]), ([active, archived]) =>
          [...new Set([...active, ...archived])].sort()
        )
      ),
      update: (id, change) =>
        locks.withLock(
          id,
          Effect.gen(function* () {
            const { session, place } = yield* readable(id)
            const updated = yield* change(session)
            yield* write(updated, place)
            return updated
          })
        ),
      withLock: locks.withLock,
      remove: (id) =>
        locks.withLock(
          id,
          asStoreFailed(Effect.asVoid(Effect.all([removeFile(fileOf("active", id)), removeFile(fileOf("archive", id))])))
        ),
      discardBroken: (id) =>
        locks.withLock(
          id,
          Effect.gen(function* () {
            const { place } = yield* inspect(id)
            const stamp = fileStamp(yield* DateTime.now)
            yield* asStoreFailed(ensureDirectory(layout.broken))
            // Moved, not deleted: the bytes stay for a person to look at.
            yield* asStoreFailed(moveFile(fileOf(place, id), join(layout.broken, `${id}.${stamp}.json`)))
          })
        ),
      locks: locks.inventory,
      clearStaleLock: locks.clearStale,
      strayTemporaries: asStoreFailed(
        Effect.map(
          Effect.forEach(Object.values(layout), temporariesIn),
          (perDirectory) =>
            perDirectory.flat().map((left) => ({
              path: left.path,
              bytes: left.bytes,
              modifiedAt: DateTime.unsafeMake(left.modifiedAtMillis),
              writerPid: left.writerPid,
              writerAlive: left.writerAlive
            }))
        )
      ),
      removeStrayTemporary: ({ modifiedBefore, path }) => {
        // Only a temporary of the store's own directories is ever deleted.
        const dir = Object.values(layout).find((candidate) => dirname(path) === candidate)
        return dir === undefined ? Effect.succeed(false) : asStoreFailed(removeDeadTemporary(dir, path, DateTime.toEpochMillis(modifiedBefore)))
      }
    })
  })

export const makeSessionStoreLayer = (options: SessionStoreOptions): Layer.Layer<SessionStore> =>
  Layer.effect(SessionStore, makeSessionStore(options))
