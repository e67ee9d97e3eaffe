import { MemoryRuntimeControl } from "@ao/adapters-memory/runtime"
import { Effect } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { type MemoryApi, memoryApi, postJson, request } from "./memory-api"
import { sseReader } from "./sse-reader"

let api: MemoryApi | undefined
afterEach(async () => {
  await api?.dispose()
  api = undefined
})

const print = (target: MemoryApi, name: string, text: string) =>
  target.world(Effect.flatMap(MemoryRuntimeControl, (control) => control.print(name, text)))

const spawned = async (target: MemoryApi) => {
  expect((await postJson(target, "/api/sessions", { project: "my-app" })).status).toBe(201)
  return "ma-s1"
}

describe("GET /api/sessions/{name}/output", () => {
  it("answers the pane's last lines as ao logs --json does: text only unless ansi=true", async () => {
    api = await memoryApi()
    const name = await spawned(api)
    await print(api, name, "one\n\u001b[31mtwo\u001b[0m")
    const text = await request(api, `/api/sessions/${name}/output?lines=2`)
    expect(text.status).toBe(200)
    expect(await text.json()).toEqual({ name, ansi: false, lines: ["one", "two"] })
    const coloured = await (await request(api, `/api/sessions/${name}/output?lines=1&ansi=true`)).json()
    expect(coloured).toEqual({ name, ansi: true, lines: ["\u001b[31mtwo\u001b[0m"] })
  })

  it("refuses a bad line count and names an unknown or killed session", async () => {
    api = await memoryApi()
    const name = await spawned(api)
    const bad = await request(api, `/api/sessions/${name}/output?lines=0`)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: { tag: "InvalidInput", message: expect.stringContaining("query.lines") } })
    expect((await request(api, "/api/sessions/ma-9/output")).status).toBe(404)
    await postJson(api, `/api/sessions/${name}/kill`, {})
    const killed = await request(api, `/api/sessions/${name}/output`)
    expect(killed.status).toBe(409)
    expect(await killed.json()).toMatchObject({ error: { tag: "SessionNotRunning" } })
  })
})

describe("GET /api/sessions/{name}/output/stream", () => {
  it("sends the last lines to replace, then only new lines, then end when the session is killed", async () => {
    api = await memoryApi()
    const name = await spawned(api)
    await print(api, name, "before")
    const response = await request(api, `/api/sessions/${name}/output/stream?lines=1`)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe("text/event-stream")
    const stream = sseReader(response)
    expect(JSON.parse((await stream.until(["output"])).data)).toEqual({ name, replace: true, lines: ["before"] })
    await print(api, name, "\u001b[1mafter\u001b[0m")
    expect(JSON.parse((await stream.until(["output"])).data)).toEqual({ name, replace: false, lines: ["after"] })
    await postJson(api, `/api/sessions/${name}/kill`, {})
    expect(JSON.parse((await stream.until(["end"])).data)).toMatchObject({ name, reason: `Session ${name} is no longer running` })
    expect(await stream.next()).toBeUndefined()
  })

  it("answers an unknown session with 404 before any stream starts", async () => {
    api = await memoryApi()
    const response = await request(api, "/api/sessions/ma-9/output/stream")
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: { tag: "SessionNotFound" } })
  })
})
