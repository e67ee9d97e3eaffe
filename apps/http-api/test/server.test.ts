import { MemoryWorld } from "@ao/adapters-memory/world"
import { Runtime } from "@ao/domain"
import { Deferred, Effect, Layer, ManagedRuntime, Ref } from "effect"
import { connect } from "node:net"
import { expect, it } from "vitest"
import { startServer } from "../src/server"
import { loopbackAccess } from "./memory-api"
import { sseReader } from "./sse-reader"

const refused = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, "127.0.0.1")
    socket.on("connect", () => {
      socket.destroy()
      resolve("connected")
    })
    socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
  })

it("on close: stops accepting, ends event streams, finishes in-flight requests, then disposes the runtime", async () => {
  const gate = Effect.runSync(Deferred.make<void>())
  const listing = Effect.runSync(Deferred.make<void>())
  const disposed = Effect.runSync(Ref.make(false))
  // The listing waits at the gate, so a request is still in flight when the server is told to stop.
  const gated = Layer.effect(
    Runtime,
    Effect.map(Runtime, (runtime) =>
      Runtime.of({
        ...runtime,
        listServers: (servers) =>
          Effect.zipRight(Effect.zipRight(Deferred.succeed(listing, undefined), Deferred.await(gate)), runtime.listServers(servers))
      })
    )
  )
  const watched = Layer.scopedDiscard(Effect.addFinalizer(() => Ref.set(disposed, true)))
  const server = await startServer({
    runtime: ManagedRuntime.make(Layer.merge(Layer.provideMerge(gated, MemoryWorld.layer()), watched)),
    host: "127.0.0.1",
    port: 0,
    access: loopbackAccess(),
    streams: { pollIntervalMillis: 10 }
  })

  const events = sseReader(await fetch(`${server.url}/api/events`))
  await events.until(["ready"])
  const inFlight = fetch(`${server.url}/api/sessions`)
  await Effect.runPromise(Deferred.await(listing))

  const closed = server.close()
  expect(await events.next()).toBeUndefined()
  expect(await refused(server.port)).toBe("ECONNREFUSED")
  expect(Effect.runSync(Ref.get(disposed))).toBe(false)

  await Effect.runPromise(Deferred.succeed(gate, undefined))
  const answer = await inFlight
  expect(answer.status).toBe(200)
  expect(answer.headers.get("connection")).toBe("close")
  expect(await answer.json()).toEqual([])
  await closed
  expect(Effect.runSync(Ref.get(disposed))).toBe(true)
})

it("refuses to start on a port already taken, and disposes what it built", async () => {
  const first = await startServer({ runtime: ManagedRuntime.make(MemoryWorld.layer()), host: "127.0.0.1", port: 0, access: loopbackAccess() })
  const disposed = Effect.runSync(Ref.make(false))
  const watched = Layer.scopedDiscard(Effect.addFinalizer(() => Ref.set(disposed, true)))
  await expect(
    startServer({ runtime: ManagedRuntime.make(Layer.merge(MemoryWorld.layer(), watched)), host: "127.0.0.1", port: first.port, access: loopbackAccess() })
  ).rejects.toMatchObject({ code: "EADDRINUSE" })
  expect(Effect.runSync(Ref.get(disposed))).toBe(true)
  await first.close()
})
