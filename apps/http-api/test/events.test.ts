import { EventLog } from "@ao/domain"
import { DateTime, Effect } from "effect"
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
