import { appendFile, readFile } from "node:fs/promises"
import { anEvent } from "@ao/adapters-memory/contracts/event-log"
import { describe, expect, it } from "@effect/vitest"
import { EventLog } from "@ao/domain"
import { Effect } from "effect"
import { eventLogPath, makeEventLogLayer } from "../src/event-log"
import { tempDir } from "./temp-dir"

describe("disk EventLog", () => {
  it.scopedLive("writes one JSON object per line and leaves a line still being appended for the next read", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* Effect.gen(function* () {
        const log = yield* EventLog
        yield* log.append(anEvent("app-1", { kind: "worktree-removed", details: { head: "abc123" } }))
        const text = yield* Effect.promise(() => readFile(eventLogPath(dataDir), "utf8"))
        expect(text.endsWith("\n")).toBe(true)
        expect(JSON.parse(text)).toMatchObject({ sessionId: "app-1", actor: "cli:7", details: { head: "abc123" } })

        const whole = yield* log.read({})
        expect(whole.cursor).toBe(String(Buffer.byteLength(text)))
        const half = text.slice(0, 40)
        yield* Effect.promise(() => appendFile(eventLogPath(dataDir), half))
        const pending = yield* log.read({ after: whole.cursor })
        expect(pending).toEqual({ events: [], cursors: [], cursor: whole.cursor })
        yield* Effect.promise(() => appendFile(eventLogPath(dataDir), text.slice(40)))
        expect((yield* log.read({ after: whole.cursor })).events.map((event) => event.sessionId)).toEqual(["app-1"])
      }).pipe(Effect.provide(makeEventLogLayer({ dataDir, actor: "cli:7" })))
    })
  )

  it.scopedLive("a cursor inside a line or past the end is refused, naming the log", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* Effect.gen(function* () {
        const log = yield* EventLog
        yield* log.append(anEvent("app-1"))
        const inside = yield* Effect.flip(log.read({ after: "5" }))
        expect(inside.message).toContain(eventLogPath(dataDir))
        expect(inside.detail).toContain("cursor 5 is not one this log returned")
        expect((yield* Effect.flip(log.read({ after: "999999" })))._tag).toBe("EventLogFailed")
      }).pipe(Effect.provide(makeEventLogLayer({ dataDir, actor: "cli:7" })))
    })
  )

  it.scopedLive("reads of a log that does not exist yet create nothing", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      const page = yield* Effect.flatMap(EventLog, (log) => log.read({})).pipe(
        Effect.provide(makeEventLogLayer({ dataDir, actor: "cli:7" }))
      )
      expect(page).toEqual({ events: [], cursors: [], cursor: "0" })
      expect(yield* Effect.promise(() => readFile(eventLogPath(dataDir)).then(() => true, () => false))).toBe(false)
    })
  )
})

describe("disk EventLog after a crash mid-append", () => {
  it.scopedLive("passes over the torn line and keeps every event written after it", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* Effect.gen(function* () {
        const log = yield* EventLog
        yield* log.append(anEvent("app-1"))
        yield* Effect.promise(() => appendFile(eventLogPath(dataDir), '{"at":"2026-01-02T03:04:05.000Z","sessionId":"app-'))
        yield* log.append(anEvent("app-2"))
        const page = yield* log.read({})
        expect(page.events.map((event) => event.sessionId)).toEqual(["app-1", "app-2"])
        expect(page.cursor).toBe(String((yield* Effect.promise(() => readFile(eventLogPath(dataDir)))).length))
      }).pipe(Effect.provide(makeEventLogLayer({ dataDir, actor: "cli:7" })))
    })
  )

  it.scopedLive("a line that is JSON but not an event fails the read, naming where it is", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* Effect.gen(function* () {
        const log = yield* EventLog
        yield* log.append(anEvent("app-1"))
        const offset = (yield* Effect.promise(() => readFile(eventLogPath(dataDir)))).length
        yield* Effect.promise(() => appendFile(eventLogPath(dataDir), '{"sessionId":42}\n'))
        const failure = yield* Effect.flip(log.read({}))
        expect(failure.detail).toContain(`the line at byte ${offset} is not an event`)
      }).pipe(Effect.provide(makeEventLogLayer({ dataDir, actor: "cli:7" })))
    })
  )
})
