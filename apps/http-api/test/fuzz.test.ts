import { MemoryEventLog } from "@ao/adapters-memory/event-log"
import { MemoryWorld } from "@ao/adapters-memory/world"
import { Runtime, spawnSession } from "@ao/domain"
import { Effect, ManagedRuntime } from "effect"
import { connect } from "node:net"
import { expect, it } from "vitest"
import { startServer } from "../src/server"
import { seededRandom } from "@ao/e2e-harness"
import { crossSiteRequest, fuzzRequest, type Route } from "./fuzz-requests"
import { loopbackAccess } from "./memory-api"

/** Replay a failure with FUZZ_SEED=<seed>. */
const SEED = Number(process.env["FUZZ_SEED"] ?? 20261123)
const COUNT = 1200
const CONCURRENCY = 8

/** Sends raw bytes and reads the status line of the answer, or says there was none. */
const send = (port: number, bytes: Buffer) =>
  new Promise<number | string>((resolve) => {
    const socket = connect(port, "127.0.0.1")
    const chunks: Array<Buffer> = []
    socket.on("data", (chunk: Buffer) => chunks.push(chunk))
    // The server may close while a huge body is still being written; what it answered is still read.
    socket.on("error", () => undefined)
    socket.on("close", () => {
      const answer = Buffer.concat(chunks).toString("latin1")
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1]
      resolve(status === undefined ? `no answer: ${JSON.stringify(answer.slice(0, 80))}` : Number(status))
    })
    // A request the server never finishes answering is a failure to report, not a hang.
    socket.setTimeout(15_000, () => {
      chunks.unshift(Buffer.from("(timed out) "))
      socket.destroy()
    })
    socket.write(bytes)
  })

/** The routes from the server's own OpenAPI document, so a new endpoint is fuzzed too. */
const routesOf = async (url: string): Promise<ReadonlyArray<Route>> => {
  const document = (await (await fetch(`${url}/api/openapi.json`)).json()) as {
    readonly paths: Record<string, Record<string, { readonly requestBody?: unknown }>>
  }
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({ method: method.toUpperCase(), path, hasBody: operation.requestBody !== undefined }))
  )
}

it(`answers 300 cross-site changes against a live session with 403 or 415, and nothing changes (seed ${SEED})`, async () => {
  const runtime = ManagedRuntime.make(MemoryWorld.layer({ actor: "api:fuzz" }))
  await runtime.runPromise(spawnSession({ projectId: "my-app" }))
  const state = () =>
    runtime.runPromise(
      Effect.all({
        runtime: Effect.flatMap(Runtime, (tmux) => tmux.list),
        events: Effect.flatMap(MemoryEventLog, (log) => log.events)
      })
    )
  const before = await state()
  const server = await startServer({ runtime, host: "127.0.0.1", port: 0, access: loopbackAccess() })
  try {
    const routes = await routesOf(server.url)
    const random = seededRandom(SEED)
    const statuses = new Set<number | string>()
    for (let index = 0; index < 300; index++) {
      statuses.add(await send(server.port, crossSiteRequest(random, routes, `127.0.0.1:${server.port}`, "ma-s1").bytes))
    }
    expect([...statuses].sort()).toEqual([403, 415])
    expect(await state()).toEqual(before)
  } finally {
    await server.close()
  }
})

it(`answers ${COUNT} malformed requests with a 4xx each, never a 5xx, and stays up (seed ${SEED})`, async () => {
  const defects: Array<string> = []
  const server = await startServer({
    runtime: ManagedRuntime.make(MemoryWorld.layer({ actor: "api:fuzz" })),
    host: "127.0.0.1",
    port: 0,
    access: loopbackAccess(),
    logDefect: (text) => defects.push(text)
  })
  try {
    const routes = await routesOf(server.url)
    const random = seededRandom(SEED)
    const requests = Array.from({ length: COUNT }, () => fuzzRequest(random, routes, `127.0.0.1:${server.port}`))

    const answers: Array<{ readonly index: number; readonly kind: string; readonly status: number | string }> = []
    let next = 0
    const worker = async () => {
      while (next < requests.length) {
        const index = next++
        const request = requests[index]!
        answers.push({ index, kind: request.kind, status: await send(server.port, request.bytes) })
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))

    const wrong = answers.filter((answer) => typeof answer.status !== "number" || answer.status < 400 || answer.status > 499)
    expect(wrong.slice(0, 10).map((answer) => ({ ...answer, request: requests[answer.index]!.bytes.toString("latin1", 0, 160) }))).toEqual([])
    expect(answers).toHaveLength(COUNT)
    // Every kind of malformation was tried.
    expect(new Set(answers.map((answer) => answer.kind)).size).toBe(12)
    expect(defects).toEqual([])
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  } finally {
    await server.close()
  }
})
