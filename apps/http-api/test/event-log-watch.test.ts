import { MemoryWorld } from "@ao/adapters-memory/world"
import { makeEventLogLayer } from "@ao/composition-root"
import { EventLog } from "@ao/domain"
import { DateTime, Effect, Layer } from "effect"
import type { watch } from "node:fs"
import { appendFile, mkdtemp, rm, truncate } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { watchEventLog } from "../src/event-log-watch"
import type { LogChange } from "../src/event-stream"
import { type MemoryApi, memoryApi, request } from "./memory-api"
import { sseReader } from "./sse-reader"

let api: MemoryApi | undefined
let dir: string | undefined
afterEach(async () => {
  await api?.dispose()
  api = undefined
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

const append = (sessionId: string) =>
  Effect.flatMap(EventLog, (log) =>
    log.append({
      at: DateTime.unsafeMake("2026-11-23T12:00:00Z"),
      sessionId,
      projectId: "agent-orchestrator",
      kind: "spawned",
      from: null,
      to: "working",
      reason: "test spawned",
      details: {}
    })
  )

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

const until = async (what: string, probe: () => boolean) => {
  const deadline = Date.now() + 20_000
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/** The app over the memory world, but with the real event log on disk (counting its reads), its file watched. */
const fileLogApi = async (pollIntervalMillis: number) => {
  dir = await mkdtemp(join(tmpdir(), "ao-event-log-watch-"))
  const counter = { reads: 0 }
  const fileLog = Layer.effect(
    EventLog,
    Effect.map(EventLog, (log) =>
      EventLog.of({ ...log, read: (options) => Effect.zipRight(Effect.sync(() => counter.reads++), log.read(options)) })
    )
  ).pipe(Layer.provide(makeEventLogLayer({ dataDir: dir, actor: "api:test" })))
  api = await memoryApi({
    layer: Layer.merge(MemoryWorld.layer({ actor: "api:test" }), fileLog),
    streams: { pollIntervalMillis },
    eventLogFile: join(dir, "events.jsonl")
  })
  return { api, counter, file: join(dir, "events.jsonl") }
}

describe("the event hub follows the watched log file", () => {
  it("hands an appended event to an open stream at once, with no poll to find it, each event exactly once", async () => {
    // A poll of an hour: only the file's watch can bring these events in time.
    const { api } = await fileLogApi(3_600_000)
    await api.world(append("ao-0"))
    const stream = sseReader(await request(api, "/api/events"))
    await stream.until(["ready"])
    await api.world(Effect.zipRight(append("ao-1"), append("ao-2")))
    expect(JSON.parse((await stream.until(["spawned"])).data).sessionId).toBe("ao-1")
    expect(JSON.parse((await stream.until(["spawned"])).data).sessionId).toBe("ao-2")
    await api.world(append("ao-3"))
    const third = await stream.until(["spawned"])
    expect(JSON.parse(third.data).sessionId).toBe("ao-3")
    await stream.cancel()
  })

  it("reads nothing while nothing changes, though a stream is open (a poll interval of 10 ms is not used)", async () => {
    const { api, counter } = await fileLogApi(10)
    const stream = sseReader(await request(api, "/api/events"))
    await stream.until(["ready"])
    const before = counter.reads
    await sleep(1000)
    expect(counter.reads - before).toBe(0)
    await api.world(append("ao-1"))
    expect(JSON.parse((await stream.until(["spawned"])).data).sessionId).toBe("ao-1")
    await stream.cancel()
  })

  it("reads a truncated log from its start: the events written after it arrive, with cursors of the new file", async () => {
    const { api, file } = await fileLogApi(3_600_000)
    const stream = sseReader(await request(api, "/api/events"))
    await stream.until(["ready"])
    await api.world(Effect.all([append("ao-1"), append("ao-2"), append("ao-3")]))
    for (const name of ["ao-1", "ao-2", "ao-3"]) expect(JSON.parse((await stream.until(["spawned"])).data).sessionId).toBe(name)
    await truncate(file, 0)
    await api.world(append("ao-4"))
    const after = await stream.until(["spawned", "error"])
    expect(after.event).toBe("spawned")
    expect(JSON.parse(after.data).sessionId).toBe("ao-4")
    // Its id is a cursor of the new file: a client resuming from it gets what comes next.
    const resumed = sseReader(await request(api, "/api/events", { headers: { "last-event-id": after.id! } }))
    await resumed.until(["ready"])
    await api.world(append("ao-5"))
    expect(JSON.parse((await resumed.until(["spawned"])).data).sessionId).toBe("ao-5")
    expect(JSON.parse((await stream.until(["spawned"])).data).sessionId).toBe("ao-5")
    await Promise.all([stream.cancel(), resumed.cancel()])
  })
})

describe("watchEventLog", () => {
  it("tells of appends, and of a truncation as a replacement", async () => {
    dir = await mkdtemp(join(tmpdir(), "ao-event-log-watch-"))
    const file = join(dir, "events.jsonl")
    const stop = new AbortController()
    const changes: Array<LogChange> = []
    expect(watchEventLog(file, (change) => changes.push(change), stop.signal)).toBe("watching")
    await appendFile(file, "one\n")
    await until("the append", () => changes.includes("appended"))
    await truncate(file, 0)
    await until("the truncation", () => changes.includes("replaced"))
    stop.abort()
  })

  it("falls back to looking at the file's size where the directory cannot be watched", async () => {
    dir = await mkdtemp(join(tmpdir(), "ao-event-log-watch-"))
    const file = join(dir, "events.jsonl")
    const stop = new AbortController()
    const changes: Array<LogChange> = []
    const unwatchable = (() => {
      throw Object.assign(new Error("ENOSPC: System limit for number of file watchers reached"), { code: "ENOSPC" })
    }) as unknown as typeof watch
    expect(watchEventLog(file, (change) => changes.push(change), stop.signal, { watchDirectory: unwatchable, fallbackStatMillis: 50 })).toBe("polling")
    await appendFile(file, "one\n")
    await until("the append, seen by the size", () => changes.includes("appended"))
    stop.abort()
  })
})
