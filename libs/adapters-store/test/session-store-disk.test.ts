import { spawnSync } from "node:child_process"
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises"
import { join, relative } from "node:path"
import { aSession } from "@ao/adapters-memory/contracts/session-store"
import { describe, expect, it } from "@effect/vitest"
import { Session, SessionStore, type StoredSession } from "@ao/domain"
import { Effect } from "effect"
import { encodeSessionFile } from "../src/session-file"
import { makeSessionStoreLayer, storeLayout } from "../src/session-store"
import { tempDir } from "./temp-dir"

const withStore = <A, E>(dataDir: string, effect: Effect.Effect<A, E, SessionStore>) =>
  Effect.provide(effect, makeSessionStoreLayer({ dataDir, lockWait: "200 millis" }))

/** Every file under `dir`, relative to it; [] when it does not exist. */
const filesUnder = (dir: string): Promise<Array<string>> =>
  readdir(dir, { recursive: true, withFileTypes: true })
    .then((entries) =>
      entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort()
    )
    .catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? [] : Promise.reject(error)))

const plant = (dataDir: string, place: "active" | "archive", id: string, content: string) =>
  Effect.promise(async () => {
    const dir = storeLayout(dataDir)[place]
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, `${id}.json`), content)
    return join(dir, `${id}.json`)
  })

const brokenOf = (stored: StoredSession | undefined) => {
  if (stored?._tag !== "Broken") throw new Error(`expected a broken record, got ${JSON.stringify(stored)}`)
  return stored.record
}

const valid = encodeSessionFile(aSession("app-1", { workspacePath: "/worktrees/app-1", branch: "int-1-fix" }))

describe("disk SessionStore: damaged files are listed as Broken, never invisible", () => {
  const cases: ReadonlyArray<{ readonly name: string; readonly content: string; readonly problem: RegExp }> = [
    { name: "corrupt", content: "{ this is not json", problem: /not valid JSON/ },
    { name: "truncated", content: valid.slice(0, valid.indexOf('"agent"')), problem: /not valid JSON \(truncated\?\)/ },
    { name: "empty", content: "", problem: /the file is empty/ },
    { name: "wrong types", content: valid.replace('"status": "working"', '"status": 42'), problem: /field status: Expected "spawning"/ },
    { name: "unknown version", content: valid.replace('"version": 1', '"version": 7'), problem: /unknown format version 7: this ao reads version 1/ },
    { name: "not an object", content: "[1, 2]", problem: /expected a JSON object/ }
  ]

  for (const { content, name, problem } of cases) {
    it.scopedLive(`${name}: listed with its path and problem; get fails, inspect returns it`, () =>
      Effect.gen(function* () {
        const dataDir = yield* tempDir
        const path = yield* plant(dataDir, "active", "app-1", content)
        yield* withStore(
          dataDir,
          Effect.gen(function* () {
            const store = yield* SessionStore
            const [listed] = yield* store.list({ includeEnded: false })
            const record = brokenOf(listed)
            expect(record.path).toBe(path)
            expect(record.problem).toMatch(problem)
            const failure = yield* Effect.flip(store.get("app-1"))
            expect(failure._tag).toBe("SessionRecordBroken")
            expect(failure.message).toContain(path)
            expect(brokenOf(yield* store.inspect("app-1"))).toEqual(record)
            expect(yield* store.names).toEqual(["app-1"])
          })
        )
      })
    )
  }

  it.scopedLive("a truncated file keeps what kill and cleanup need in its salvage", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* plant(dataDir, "active", "app-1", valid.slice(0, valid.indexOf('"status"')))
      const record = yield* withStore(dataDir, Effect.map(SessionStore, (store) => store.inspect("app-1")).pipe(Effect.flatten))
      expect(brokenOf(record).salvage).toEqual({
        projectId: "app",
        workspacePath: "/worktrees/app-1",
        runtimeHandle: "app-1",
        branch: "int-1-fix"
      })
    })
  )

  it.scopedLive("discardBroken moves the file aside with its bytes and frees the name", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* plant(dataDir, "active", "app-1", "{ garbage")
      yield* withStore(
        dataDir,
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.discardBroken("app-1")
          expect(yield* store.list({ includeEnded: true })).toEqual([])
          yield* store.create(aSession("app-1"))
        })
      )
      const [aside] = yield* Effect.promise(() => readdir(storeLayout(dataDir).broken))
      expect(aside).toMatch(/^app-1\..+\.json$/)
      expect(yield* Effect.promise(() => readFile(join(storeLayout(dataDir).broken, aside!), "utf8"))).toBe("{ garbage")
    })
  )
})

describe("disk SessionStore: files on disk", () => {
  it.scopedLive("a session is one pretty-printed JSON file of the encoded Session, and no temp file is left", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      const session = aSession("app-1")
      yield* withStore(
        dataDir,
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.create(session)
          yield* store.update("app-1", (current) => Effect.succeed(new Session({ ...current, statusReason: "updated" })))
        })
      )
      expect(yield* Effect.promise(() => filesUnder(dataDir))).toEqual(["sessions/app-1.json"])
      const text = yield* Effect.promise(() => readFile(join(dataDir, "sessions", "app-1.json"), "utf8"))
      expect(JSON.parse(text)).toMatchObject({ version: 1, id: "app-1", statusReason: "updated", pr: null })
      expect(text).toContain('\n  "id": "app-1",\n')
    })
  )

  it.scopedLive("readers never see a partial file while writers replace it", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* withStore(
        dataDir,
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.create(aSession("app-1", { statusReason: "x".repeat(20_000) }))
          const rewrite = store.update("app-1", (current) =>
            Effect.succeed(new Session({ ...current, statusReason: current.statusReason.split("").reverse().join("") }))
          )
          const tags = yield* Effect.all(
            [
              Effect.replicateEffect(rewrite, 15, { discard: true }),
              Effect.replicateEffect(
                Effect.map(store.list({ includeEnded: false }), (listed) => listed.map((entry) => entry._tag)),
                30
              )
            ],
            { concurrency: 2 }
          ).pipe(Effect.map(([, listings]) => listings.flat()))
          expect(new Set(tags)).toEqual(new Set(["Readable"]))
        })
      )
    })
  )

  it.scopedLive("reads never write: no data dir, lock or file appears from list, get, inspect or names", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      const missing = join(dataDir, "never-created")
      yield* withStore(
        missing,
        Effect.gen(function* () {
          const store = yield* SessionStore
          expect(yield* store.list({ includeEnded: true })).toEqual([])
          expect(yield* store.names).toEqual([])
          expect((yield* Effect.flip(store.get("app-1")))._tag).toBe("SessionNotFound")
        })
      )
      expect(yield* Effect.promise(() => filesUnder(missing))).toEqual([])
      expect(yield* Effect.promise(() => readdir(dataDir))).toEqual([])

      yield* withStore(dataDir, Effect.flatMap(SessionStore, (store) => store.create(aSession("app-1"))))
      yield* plant(dataDir, "active", "app-2", "{ broken")
      const before = yield* Effect.promise(() => filesUnder(dataDir))
      yield* withStore(
        dataDir,
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.list({ includeEnded: true })
          yield* store.get("app-1")
          yield* store.inspect("app-2")
          yield* store.names
        })
      )
      expect(yield* Effect.promise(() => filesUnder(dataDir))).toEqual(before)
    })
  )

  it.scopedLive("ended sessions live in the archive, which listing active sessions never reads", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      // A damaged archived file shows whether the archive was read at all.
      yield* plant(dataDir, "archive", "app-9", "{ broken")
      yield* withStore(
        dataDir,
        Effect.gen(function* () {
          const store = yield* SessionStore
          yield* store.create(aSession("app-1"))
          yield* store.update("app-1", (current) => Effect.succeed(new Session({ ...current, status: "killed" })))
          expect(yield* Effect.promise(() => filesUnder(dataDir))).toEqual(["archive/app-1.json", "archive/app-9.json"])
          expect(yield* store.list({ includeEnded: false })).toEqual([])
          expect((yield* store.list({ includeEnded: true })).map((entry) => entry._tag)).toEqual(["Readable", "Broken"])
          expect((yield* store.get("app-1")).status).toBe("killed")

          yield* store.update("app-1", (current) => Effect.succeed(new Session({ ...current, status: "working" })))
          expect(yield* Effect.promise(() => filesUnder(dataDir))).toEqual(["archive/app-9.json", "sessions/app-1.json"])
        })
      )
    })
  )
})

describe("disk SessionStore: locks", () => {
  const plantLock = (dataDir: string, id: string, holder: object) =>
    Effect.promise(async () => {
      const dir = storeLayout(dataDir).locks
      await mkdir(dir, { recursive: true })
      await writeFile(join(dir, `${id}.lock`), JSON.stringify(holder))
    })

  const deadPid = () => {
    const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" })
    return Number(child.stdout)
  }

  it.scopedLive("a lock whose holder's pid is dead does not block", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* withStore(dataDir, Effect.flatMap(SessionStore, (store) => store.create(aSession("app-1"))))
      yield* plantLock(dataDir, "app-1", { pid: deadPid(), startTicks: null, acquiredAt: "2026-01-01T00:00:00Z", nonce: "dead" })
      const updated = yield* withStore(
        dataDir,
        Effect.flatMap(SessionStore, (store) =>
          store.update("app-1", (current) => Effect.succeed(new Session({ ...current, status: "idle" })))
        )
      )
      expect(updated.status).toBe("idle")
      expect(yield* Effect.promise(() => filesUnder(storeLayout(dataDir).locks))).toEqual([])
    })
  )

  it.scopedLive("locks reports a dead holder's lock as stale without touching it; clearStaleLock removes it", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      const pid = deadPid()
      yield* plantLock(dataDir, "app-1", { pid, startTicks: null, acquiredAt: "2026-01-01T00:00:00Z", nonce: "dead" })
      yield* plantLock(dataDir, "app-2", { pid: process.ppid, startTicks: null, acquiredAt: "2026-01-01T00:00:00Z", nonce: "live" })
      yield* withStore(
        dataDir,
        Effect.gen(function* () {
          const store = yield* SessionStore
          const expected = [
            { id: "app-1", holderPid: pid, stale: true },
            { id: "app-2", holderPid: process.ppid, stale: false }
          ]
          expect(yield* store.locks).toEqual(expected)
          expect(yield* store.locks).toEqual(expected)
          expect(yield* store.clearStaleLock("app-2")).toBe(false)
          expect(yield* store.clearStaleLock("app-1")).toBe(true)
          expect(yield* store.locks).toEqual([expected[1]])
        })
      )
      expect(yield* Effect.promise(() => filesUnder(storeLayout(dataDir).locks))).toEqual(["app-2.lock"])
    })
  )

  it.scopedLive("a lock held by a live process fails with SessionLocked naming its pid", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* withStore(dataDir, Effect.flatMap(SessionStore, (store) => store.create(aSession("app-1"))))
      // The parent of this test process outlives the test: a live holder that is not us.
      yield* plantLock(dataDir, "app-1", { pid: process.ppid, startTicks: null, acquiredAt: "2026-01-01T00:00:00Z", nonce: "live" })
      const failure = yield* withStore(
        dataDir,
        Effect.flip(Effect.flatMap(SessionStore, (store) => store.update("app-1", Effect.succeed)))
      )
      expect(failure).toMatchObject({ _tag: "SessionLocked", id: "app-1", holderPid: process.ppid })
    })
  )

  it.scopedLive("a stale lock another process is breaking right now: the taker waits within its deadline, then SessionLocked naming the breaker", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* withStore(dataDir, Effect.flatMap(SessionStore, (store) => store.create(aSession("app-1"))))
      yield* plantLock(dataDir, "app-1", { pid: deadPid(), startTicks: null, acquiredAt: "2026-01-01T00:00:00Z", nonce: "dead" })
      // The breaker file of a live process that has just started breaking it (fresh, so not itself stale).
      yield* Effect.promise(() => writeFile(join(storeLayout(dataDir).locks, "app-1.lock.break"), `${process.ppid}\n`))
      const failure = yield* withStore(
        dataDir,
        Effect.flip(Effect.flatMap(SessionStore, (store) => store.update("app-1", Effect.succeed)))
      )
      expect(failure).toMatchObject({ _tag: "SessionLocked", id: "app-1", holderPid: process.ppid })
    })
  )

  it.scopedLive("create of a name whose record exists while another process still holds its lock: SessionAlreadyExists, not SessionLocked", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* withStore(dataDir, Effect.flatMap(SessionStore, (store) => store.create(aSession("app-1"))))
      yield* plantLock(dataDir, "app-1", { pid: process.ppid, startTicks: null, acquiredAt: "2026-01-01T00:00:00Z", nonce: "winner" })
      const failure = yield* withStore(dataDir, Effect.flip(Effect.flatMap(SessionStore, (store) => store.create(aSession("app-1")))))
      expect(failure).toMatchObject({ _tag: "SessionAlreadyExists", id: "app-1" })
    })
  )

  it.scopedLive.runIf(process.platform === "linux")("a lock whose pid was reused by another process is stale", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* withStore(dataDir, Effect.flatMap(SessionStore, (store) => store.create(aSession("app-1"))))
      yield* plantLock(dataDir, "app-1", { pid: process.ppid, startTicks: "1", acquiredAt: "2026-01-01T00:00:00Z", nonce: "reused" })
      const updated = yield* withStore(
        dataDir,
        Effect.flatMap(SessionStore, (store) => store.update("app-1", Effect.succeed))
      )
      expect(updated.id).toBe("app-1")
    })
  )

  it.scopedLive("store instances on one directory: of concurrent creates of one name, one wins and every loser is told it exists", () =>
    Effect.gen(function* () {
      // Rounds of six, so a busy machine (a record's fsync outlasting a loser's wait) shows up here, not in CI only.
      for (let round = 0; round < 8; round++) {
        const dataDir = yield* tempDir
        const attempt = (agent: string) =>
          withStore(dataDir, Effect.flatMap(SessionStore, (store) => store.create(aSession("app-1", { agent })))).pipe(
            Effect.either
          )
        const results = yield* Effect.all(["a", "b", "c", "d", "e", "f"].map(attempt), { concurrency: "unbounded" })
        const failures = results.flatMap((result) => (result._tag === "Left" ? [result.left._tag] : []))
        expect(failures).toEqual(Array.from({ length: 5 }, () => "SessionAlreadyExists"))
      }
    })
  )

  it.scopedLive("create while another process holds the lock to create the same name: SessionAlreadyExists, not SessionLocked", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* plantLock(dataDir, "app-1", { pid: process.ppid, startTicks: null, acquiredAt: "2026-01-01T00:00:00Z", nonce: "winner", creating: true })
      const failure = yield* withStore(dataDir, Effect.flip(Effect.flatMap(SessionStore, (store) => store.create(aSession("app-1")))))
      expect(failure).toMatchObject({ _tag: "SessionAlreadyExists", id: "app-1" })
    })
  )
})
