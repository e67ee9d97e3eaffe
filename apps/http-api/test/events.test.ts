import { MemoryWorld } from "@ao/adapters-memory/world"
import { EventLog } from "@ao/domain"
import { DateTime, Effect, Layer } from "effect"
import { appendFile, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { type MemoryApi, memoryApi, request } from "./memory-api"
import { sseReader } from "./sse-reader"

let api: MemoryApi | undefined
afterEach(async () => {
  await api?.dispose()
  api = undefined
})

const append = (sessionId: string, kind: "spawned" | "killed", projectId = "agent-orchestrator") =>
  Effect.flatMap(EventLog, (log) =>
    log.append({
      at: DateTime.unsafeMake("2026-11-23T12:00:00Z"),
      sessionId,
      projectId,
      kind,
      from: null,
      to: kind === "killed" ? "killed" : "working",
      reason: `test ${kind}`,
      details: {}
    })
  )

describe("GET /api/events", () => {
  it("announces the cursor, then streams each new event named by its kind, with the actor api:<pid> stamped", async () => {
    api = await memoryApi()
    await api.world(append("ao-1", "spawned"))
    const response = await request(api, "/api/events")
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe("text/event-stream")
    const stream = sseReader(response)
    // Without a cursor only new events come: ao-1's spawn happened before.
    const ready = await stream.until(["ready"])
    expect(JSON.parse(ready.data)).toEqual({ cursor: "1" })

    await api.world(append("ao-2", "killed"))
    const killed = await stream.until(["spawned", "killed"])
    expect(killed.event).toBe("killed")
    expect(killed.id).toBe("2")
    expect(JSON.parse(killed.data)).toMatchObject({ sessionId: "ao-2", kind: "killed", to: "killed", actor: "api:test", at: "2026-11-23T12:00:00.000Z" })
    await stream.cancel()
  })

  it("replays the log from the start on request, and resumes after Last-Event-ID", async () => {
    api = await memoryApi()
    await api.world(Effect.all([append("ao-1", "spawned"), append("ao-2", "spawned"), append("ao-1", "killed")]))
    const replay = sseReader(await request(api, "/api/events?replay=true"))
    await replay.until(["ready"])
    expect((await replay.until(["spawned"])).data).toContain('"ao-1"')
    expect((await replay.until(["spawned"])).data).toContain('"ao-2"')
    await replay.cancel()

    const resumed = sseReader(await request(api, "/api/events", { headers: { "last-event-id": "2" } }))
    expect(JSON.parse((await resumed.until(["ready"])).data)).toEqual({ cursor: "2" })
    const next = await resumed.until(["spawned", "killed"])
    expect([next.event, JSON.parse(next.data).sessionId]).toEqual(["killed", "ao-1"])
    await resumed.cancel()
  })

  it("filters by session and by project", async () => {
    api = await memoryApi()
    await api.world(
      Effect.all([append("ao-1", "spawned"), append("ma-1", "spawned", "my-app"), append("ao-2", "spawned"), append("ma-1", "killed", "my-app")])
    )
    const bySession = sseReader(await request(api, "/api/events?replay=true&session=ao-2"))
    expect(JSON.parse((await bySession.until(["spawned", "killed"])).data).sessionId).toBe("ao-2")
    await bySession.cancel()
    const byProject = sseReader(await request(api, "/api/events?replay=true&project=my-app"))
    expect((await byProject.until(["spawned", "killed"])).event).toBe("spawned")
    const last = await byProject.until(["spawned", "killed"])
    expect([last.event, last.id]).toEqual(["killed", "4"])
    await byProject.cancel()
  })

  it("gives every event its own id, so resuming after any of them sends exactly what followed", async () => {
    api = await memoryApi()
    await api.world(Effect.all([append("ao-1", "spawned"), append("ao-2", "spawned"), append("ao-3", "spawned")]))
    const replay = sseReader(await request(api, "/api/events?replay=true"))
    const ids = [(await replay.until(["spawned"])).id, (await replay.until(["spawned"])).id, (await replay.until(["spawned"])).id]
    expect(ids).toEqual(["1", "2", "3"])
    await replay.cancel()
    const resumed = sseReader(await request(api, "/api/events", { headers: { "last-event-id": "1" } }))
    expect(JSON.parse((await resumed.until(["spawned"])).data).sessionId).toBe("ao-2")
    await resumed.cancel()
  })
})

describe("bounded event streams", () => {
  const deadline = async (what: string, probe: () => Promise<boolean>) => {
    const until = Date.now() + 20_000
    while (!(await probe())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  it("one reader of the log feeds every stream: twenty streams, one event, one read", async () => {
    let reads = 0
    const counted = Layer.effect(
      EventLog,
      Effect.map(EventLog, (log) => EventLog.of({ ...log, read: (options) => Effect.zipRight(Effect.sync(() => reads++), log.read(options)) }))
    )
    // The hub reads only when a stream joins, never on a timer: each read is accounted for.
    api = await memoryApi({ layer: Layer.provideMerge(counted, MemoryWorld.layer({ actor: "api:test" })), streams: { pollIntervalMillis: 3_600_000 } })
    const streams = []
    for (let index = 0; index < 20; index++) {
      const stream = sseReader(await request(api, "/api/events"))
      await stream.until(["ready"])
      streams.push(stream)
    }
    await api.world(append("ao-1", "spawned"))
    const before = reads
    // A 21st stream wakes the hub: it reads the new event once and hands it to all twenty.
    const late = sseReader(await request(api, "/api/events"))
    await late.until(["ready"])
    for (const stream of streams) expect(JSON.parse((await stream.until(["spawned"])).data).sessionId).toBe("ao-1")
    expect(reads - before).toBe(1)
    for (const stream of [...streams, late]) await stream.cancel()
  })

  it("refuses streams past the total cap and past the per-client cap with 429, and admits again once one closes", async () => {
    api = await memoryApi({ streams: { maxStreams: 3, maxStreamsPerClient: 2 } })
    const first = sseReader(await request(api, "/api/events"))
    const second = sseReader(await request(api, "/api/events"))
    await Promise.all([first.until(["ready"]), second.until(["ready"])])
    const third = await request(api, "/api/events")
    expect(third.status).toBe(429)
    expect(third.headers.get("retry-after")).toBe("10")
    expect(await third.json()).toMatchObject({ error: { tag: "TooManyStreamsForClient" } })
    await first.cancel()
    await deadline("a slot to free up", async () => {
      const again = await request(api!, "/api/events")
      if (again.status !== 200) return false
      await again.body?.cancel()
      return true
    })
    await second.cancel()

    api = await memoryApi({ streams: { maxStreams: 1, maxStreamsPerClient: 5 } })
    const only = sseReader(await request(api, "/api/events"))
    await only.until(["ready"])
    const over = await request(api, "/api/events")
    expect(over.status).toBe(429)
    expect(await over.json()).toMatchObject({ error: { tag: "TooManyStreams" } })
    await only.cancel()
  })

  it("sends heartbeat comments while nothing happens, and closes a stream idle past its limit", async () => {
    api = await memoryApi({ streams: { heartbeatMillis: 20, idleMillis: 600_000 } })
    const response = await request(api, "/api/events")
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ""
    while (!text.includes(": heartbeat\n\n")) {
      const { done, value } = await reader.read()
      if (done) throw new Error("the stream ended before a heartbeat")
      text += value
    }
    await reader.cancel()

    api = await memoryApi({ streams: { heartbeatMillis: 10, idleMillis: 100 } })
    const idle = sseReader(await request(api, "/api/events"))
    await idle.until(["ready"])
    // Heartbeats do not count as activity: the stream ends (the client reconnects with Last-Event-ID).
    let message = await idle.next()
    while (message !== undefined) message = await idle.next()
    expect(message).toBeUndefined()
  })

  it("answers HEAD without opening a stream", async () => {
    api = await memoryApi()
    const head = await request(api, "/api/events", { method: "HEAD" })
    expect([head.status, head.headers.get("content-type"), await head.text()]).toEqual([200, "text/event-stream", ""])
  })

  it("refuses a cursor the log never returned, and unknown parameters, as 400 before streaming", async () => {
    api = await memoryApi()
    const badCursor = await request(api, "/api/events?after=99")
    expect(badCursor.status).toBe(400)
    expect(await badCursor.json()).toMatchObject({ error: { tag: "InvalidInput", message: expect.stringMatching(/^Invalid after "99"/) } })
    const badHeader = await request(api, "/api/events", { headers: { "last-event-id": "x" } })
    expect(await badHeader.json()).toMatchObject({ error: { tag: "InvalidInput", message: expect.stringMatching(/^Invalid Last-Event-ID "x"/) } })
    const unknown = await request(api, "/api/events?since=1")
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toMatchObject({ error: { tag: "InvalidInput", message: expect.stringMatching(/^Invalid query\.since/) } })
    const badName = await request(api, "/api/events?session=AO_1!")
    expect(badName.status).toBe(400)
  })
})

describe("activity on /api/events", () => {
  it("announces an agent's new activity line as an `activity` event without an id, only to streams that follow that session", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ao-activity-"))
    try {
      api = await memoryApi({ activityDir: dir })
      const all = sseReader(await request(api, "/api/events"))
      const other = sseReader(await request(api, "/api/events?session=ao-2"))
      await all.until(["ready"])
      await other.until(["ready"])
      await appendFile(join(dir, "ao-1.jsonl"), '{"state":"waiting"}\n')
      const activity = await all.until(["activity"])
      expect(JSON.parse(activity.data)).toEqual({ sessionId: "ao-1" })
      expect(activity.id).toBeUndefined()
      await appendFile(join(dir, "ao-2.jsonl"), '{"state":"working"}\n')
      expect(JSON.parse((await other.until(["activity"])).data)).toEqual({ sessionId: "ao-2" })
      await all.cancel()
      await other.cancel()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
