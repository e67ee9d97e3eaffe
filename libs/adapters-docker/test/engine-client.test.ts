import { importTestImage, type PrivateDockerd, startPrivateDockerd, startPrivateSshd } from "@ao/e2e-harness"
import { Effect, Either, Exit } from "effect"
import { execFileSync } from "node:child_process"
import { createReadStream, createWriteStream, existsSync } from "node:fs"
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { createServer, type Server } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { containerCreateBody } from "../src/container-spec"
import { DockerEngine } from "../src/engine-client"
import { type EngineEndpoint, parseEngineUrl } from "../src/engine-endpoint"

const engineAt = (endpoint: EngineEndpoint) => Effect.runSync(Effect.provide(DockerEngine, DockerEngine.layer(endpoint)))
const unix = (socketPath: string): EngineEndpoint => ({ _tag: "Unix", url: `unix://${socketPath}`, socketPath })

const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error(`expected a failure, got ${JSON.stringify(exit)}`)
  return exit.cause.error
}

describe("DockerEngine failures", () => {
  let dir: string
  let server: Server
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ao-engine-"))
    // An engine that refuses everything, the way dockerd words its errors.
    server = createServer((request, response) => {
      response.writeHead(request.url?.startsWith("/v1.41/images/") ? 404 : 500, { "content-type": "application/json" })
      response.end(JSON.stringify({ message: `refused ${request.method} ${request.url}` }))
    })
    await new Promise<void>((resolve) => server.listen(join(dir, "engine.sock"), resolve))
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
    await rm(dir, { recursive: true, force: true })
  })

  it("says no engine answers at a missing socket, and what to do", async () => {
    const failure = await failureOf(engineAt(unix(join(dir, "none.sock"))).ping)
    expect(failure._tag).toBe("EngineUnreachable")
    expect(failure.message).toBe(
      `no Docker engine answers at unix://${join(dir, "none.sock")}: the socket does not exist; start dockerd, or point DOCKER_HOST (or the project's docker.engine) at a running engine`
    )
  })

  it("carries the engine's own message on an error status", async () => {
    const engine = engineAt(unix(join(dir, "engine.sock")))
    const failure = await failureOf(engine.startContainer("ao-x"))
    expect(failure).toMatchObject({ _tag: "EngineRefused", status: 500, reason: "refused POST /v1.41/containers/ao-x/start" })
    // 404 on an image is an answer, not a failure.
    expect(await Effect.runPromise(engine.hasImage("nothing:here"))).toBe(false)
  })
})

describe("DockerEngine on a real engine", () => {
  let engine: PrivateDockerd | undefined
  let image = ""
  beforeAll(async () => {
    const started = await startPrivateDockerd()
    if (started._tag === "Unavailable") {
      console.warn(`skipping the real-engine tests: ${started.reason}`)
      return
    }
    engine = started.engine
    image = await importTestImage(engine)
  })
  afterAll(async () => {
    await engine?.stop()
  })

  it("creates, lists by label, and removes a container", async (context) => {
    if (engine === undefined) return context.skip()
    const client = engineAt(unix(engine.socketPath))
    await Effect.runPromise(client.ping)
    expect(await Effect.runPromise(client.hasImage(image))).toBe(true)
    const body = containerCreateBody({
      storeId: "s1",
      session: "demo-1",
      project: "demo",
      workspacePath: engine.dir,
      gitDir: undefined,
      user: { uid: 0, gid: 0 },
      settings: { image, mounts: [], env: {}, network: "none", cpus: 0.5, memoryBytes: 64 * 1024 * 1024 }
    })
    await Effect.runPromise(client.createContainer("ao-s1-demo-1", body))
    await Effect.runPromise(client.startContainer("ao-s1-demo-1"))
    const listed = await Effect.runPromise(client.listContainers({ "dev.ao.store": "s1" }))
    expect(listed.map((container) => [container.Names, container.State, container.Labels["dev.ao.session"]])).toEqual([
      [["/ao-s1-demo-1"], "running", "demo-1"]
    ])
    expect(await Effect.runPromise(client.listContainers({ "dev.ao.store": "other" }))).toEqual([])
    // A second container of the same name is refused with the engine's reason.
    const clash = await failureOf(client.createContainer("ao-s1-demo-1", body))
    expect(clash).toMatchObject({ _tag: "EngineRefused", status: 409 })
    expect(await Effect.runPromise(client.removeContainer("ao-s1-demo-1"))).toBe(true)
    expect(await Effect.runPromise(client.removeContainer("ao-s1-demo-1"))).toBe(false)
    expect(await Effect.runPromise(client.listContainers({ "dev.ao.store": "s1" }))).toEqual([])
  })

  it("streams a tar into a volume and back out of it, and removes the volume only once no container uses it", async (context) => {
    if (engine === undefined) return context.skip()
    const client = engineAt(unix(engine.socketPath))
    const work = await mkdtemp(join(tmpdir(), "ao-archive-"))
    try {
      const mountPoint = "/work/demo-2"
      await Effect.runPromise(client.createVolume("ao-s1-demo-2", { "dev.ao.store": "s1" }))
      expect((await Effect.runPromise(client.inspectVolume("ao-s1-demo-2")))?.Labels).toEqual({ "dev.ao.store": "s1" })
      expect(await Effect.runPromise(client.inspectVolume("ao-s1-none"))).toBeUndefined()
      expect((await Effect.runPromise(client.listVolumes({ "dev.ao.store": "s1" }))).map((volume) => volume.Name)).toEqual(["ao-s1-demo-2"])
      expect(await Effect.runPromise(client.listVolumes({ "dev.ao.store": "other" }))).toEqual([])
      const body = containerCreateBody({
        storeId: "s1",
        session: "demo-2",
        project: "demo",
        workspacePath: mountPoint,
        gitDir: undefined,
        volume: "ao-s1-demo-2",
        user: { uid: 0, gid: 0 },
        settings: { image, mounts: [], env: {}, network: "none" }
      })
      await Effect.runPromise(client.createContainer("ao-s1-demo-2", body))
      expect(await Effect.runPromise(client.containerExists("ao-s1-demo-2"))).toBe(true)
      await mkdir(join(work, "in", "demo-2", "sub"), { recursive: true })
      const bytes = Buffer.from([0, 1, 2, 255, 10, 13])
      await writeFile(join(work, "in", "demo-2", "sub", "data.bin"), bytes)
      execFileSync("tar", ["-C", join(work, "in"), "-cf", join(work, "in.tar"), "demo-2"])
      await Effect.runPromise(client.putArchive("ao-s1-demo-2", "/work", () => createReadStream(join(work, "in.tar"))))
      await Effect.runPromise(client.getArchive("ao-s1-demo-2", mountPoint, () => createWriteStream(join(work, "out.tar"))))
      await mkdir(join(work, "out"))
      execFileSync("tar", ["-C", join(work, "out"), "-xf", join(work, "out.tar")])
      expect(await readFile(join(work, "out", "demo-2", "sub", "data.bin"))).toEqual(bytes)
      // A path the container does not have is the engine's 404, with its reason.
      const missing = await failureOf(client.getArchive("ao-s1-demo-2", "/nowhere", () => createWriteStream(join(work, "none.tar"))))
      expect(missing).toMatchObject({ _tag: "EngineRefused", status: 404 })
      expect(await failureOf(client.removeVolume("ao-s1-demo-2"))).toMatchObject({ _tag: "EngineRefused", status: 409 })
      expect(await Effect.runPromise(client.removeContainer("ao-s1-demo-2"))).toBe(true)
      expect(await Effect.runPromise(client.containerExists("ao-s1-demo-2"))).toBe(false)
      expect(await Effect.runPromise(client.removeVolume("ao-s1-demo-2"))).toBe(true)
      expect(await Effect.runPromise(client.removeVolume("ao-s1-demo-2"))).toBe(false)
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })

  it("reaches the engine at ssh://user@host:port through `ssh … docker system dial-stdio`, on an sshd of the test's own", async (context) => {
    if (engine === undefined) return context.skip()
    const docker = ["/usr/local/bin/docker", "/usr/bin/docker"].find((path) => existsSync(path))
    // Every login runs dial-stdio against the private engine, never the machine's.
    const started = await startPrivateSshd(`${docker ?? "docker"} -H unix://${engine.socketPath} system dial-stdio`)
    if (started._tag === "Unavailable") {
      console.warn(`skipping the ssh:// engine test: ${started.reason}`)
      return context.skip()
    }
    const { sshd } = started
    const path = process.env["PATH"]
    process.env["PATH"] = `${sshd.clientBin}:${path ?? ""}`
    try {
      const at = (url: string) => engineAt(Either.getOrThrow(parseEngineUrl(url, undefined)))
      const client = at(`ssh://root@127.0.0.1:${sshd.port}`)
      await Effect.runPromise(client.ping)
      await Effect.runPromise(client.createVolume("ao-ssh-demo-3", { "dev.ao.store": "ssh" }))
      expect((await Effect.runPromise(client.listVolumes({ "dev.ao.store": "ssh" }))).map((volume) => volume.Name)).toEqual(["ao-ssh-demo-3"])
      expect(await Effect.runPromise(client.removeVolume("ao-ssh-demo-3"))).toBe(true)
      // ssh's own refusal, with what to try.
      const refused = await failureOf(at(`ssh://daemon@127.0.0.1:${sshd.port}`).ping)
      expect(refused._tag).toBe("EngineUnreachable")
      expect(refused.message).toContain(`no Docker engine answers at ssh://daemon@127.0.0.1:${sshd.port}: ssh exited with status 255: `)
      expect(refused.message).toContain("Permission denied (publickey)")
      expect(refused.message).toContain("check that `ssh daemon@127.0.0.1 docker version` works")
    } finally {
      process.env["PATH"] = path
      await sshd.stop()
    }
  })
})
