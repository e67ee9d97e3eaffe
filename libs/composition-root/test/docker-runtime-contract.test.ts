import { eventually, runtimeContract } from "@ao/adapters-memory/contracts/runtime"
import { makeTmuxRuntimeLayer, TmuxClient } from "@ao/adapters-tmux"
import { Runtime } from "@ao/domain"
import { engineContainers, engineRequest, importTestImage, type PrivateDockerd, startPrivateDockerd } from "@ao/e2e-harness"
import { Effect, Layer } from "effect"
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "@effect/vitest"

/**
 * The docker runtime passes the same Runtime contract as tmux and the memory
 * twin, on a private dockerd and a private tmux server: every session of the
 * contract runs its agent in a container (the contract's launches are given
 * the project's AO_PROJECT_ID, as spawn gives every agent).
 */
// Imported as the live layer does: the docker adapter is a chunk of its own.
const { makeDockerRuntimeLayer } = await import("@ao/adapters-docker")
const started = await startPrivateDockerd()
if (started._tag === "Unavailable") console.warn(`skipping the docker runtime contract: ${started.reason}`)
const engine: PrivateDockerd | undefined = started._tag === "Started" ? started.engine : undefined
const image = engine === undefined ? "" : await importTestImage(engine)

const dir = mkdtempSync(join(tmpdir(), "ao-dkrt-"))
const tmuxEnv = { ...process.env, TMUX_TMPDIR: join(dir, "tmux") }
mkdirSync(tmuxEnv.TMUX_TMPDIR)
let servers = 0

afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const dockerRuntime = (engineUrl: string, storeId = `contract${servers + 1}`) => {
  const tmuxConfig = { socketName: `test-${++servers}`, env: tmuxEnv }
  const killServer = Effect.flatMap(TmuxClient, (tmux) => Effect.ignore(tmux.run([["kill-server"]])))
  const tmux = makeTmuxRuntimeLayer(tmuxConfig).pipe(
    Layer.merge(Layer.scopedDiscard(Effect.addFinalizer(() => killServer))),
    Layer.provide(TmuxClient.layer(tmuxConfig))
  )
  const docker = makeDockerRuntimeLayer({
    projects: [{ id: "c", repoPath: join(dir, "no-repo"), settings: { image, engine: engineUrl, mounts: [], env: {}, network: "none" } }],
    projectOfSession: () => "c",
    storeId,
    env: process.env,
    homeDir: dir,
    user: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }
  })
  // Every agent spawn starts carries its project's id.
  const asProjectC = Layer.effect(
    Runtime,
    Effect.map(Runtime, (runtime) =>
      Runtime.of({ ...runtime, create: (launch) => runtime.create({ ...launch, env: { AO_PROJECT_ID: "c", ...launch.env } }) })
    )
  )
  return asProjectC.pipe(Layer.provide(docker), Layer.provide(tmux))
}

const workDir = (name: string) => {
  const path = join(dir, "work", name)
  mkdirSync(path, { recursive: true })
  return path
}

if (engine !== undefined) {
  runtimeContract("docker", {
    fresh: () => dockerRuntime(engine.url),
    workDir,
    echoAgent: (envNames) => [
      "sh",
      "-c",
      'for name in "$@"; do printf "%s=%s\\n" "$name" "$(printenv "$name")"; done; stty -echo; exec cat',
      "echo-agent",
      ...envNames
    ],
    exitingAgent: (text) => ["sh", "-c", 'printf "%s\\n" "$1"; read line', "exiting-agent", text],
    // The pane's foreground is always the docker CLI that attaches to the container.
    foregroundAgent: { argv: ["sh", "-c", "exec sleep 600"], foreground: "docker" },
    missingDir: join(dir, "missing")
  })
}

describe("DockerRuntime", () => {
  it.live("kill removes the container; a session whose container is gone lists as dead", (context) => {
    if (engine === undefined) return Effect.sync(() => context.skip())
    return Effect.gen(function* () {
      const runtime = yield* Runtime
      yield* runtime.create({ name: "d-1", cwd: workDir("d-1"), argv: ["sh", "-c", "exec cat"], env: {} })
      yield* runtime.create({ name: "d-2", cwd: workDir("d-2"), argv: ["sh", "-c", "exec cat"], env: {} })
      const label = `dev.ao.store=contract${servers}`
      expect((yield* Effect.promise(() => engineContainers(engine, label))).map((container) => container.state)).toEqual(["running", "running"])
      expect(yield* runtime.kill("d-1")).toBe(true)
      expect((yield* Effect.promise(() => engineContainers(engine, label))).length).toBe(1)
      // Stopped behind ao's back: its agent cannot be running, whatever the pane shows.
      const [other] = yield* Effect.promise(() => engineContainers(engine, label))
      yield* Effect.promise(() => engineRequest(engine.socketPath, "POST", `/containers/${other?.name}/stop?t=0`))
      const listed = yield* eventually(runtime.list, (infos) => infos.every((info) => info.paneDead))
      expect(listed.map((info) => [info.name, info.paneDead])).toEqual([["d-2", true]])
    }).pipe(Effect.provide(dockerRuntime(engine.url)))
  })

  it.live("a container of ours with no tmux session lists as a dead session of its own, and kill removes it", (context) => {
    if (engine === undefined) return Effect.sync(() => context.skip())
    const create = Effect.flatMap(Runtime, (runtime) =>
      runtime.create({ name: "o-1", cwd: workDir("o-1"), argv: ["sh", "-c", "exec cat"], env: {} })
    )
    // Made through one tmux server, seen through another: as after the first server died.
    return Effect.gen(function* () {
      yield* Effect.provide(create, dockerRuntime(engine.url, "orphans"))
      const runtime = yield* Runtime
      const listed = yield* runtime.list
      expect(listed).toMatchObject([{ name: "o-1", paneDead: true, path: workDir("o-1") }])
      expect(yield* runtime.kill("o-1")).toBe(true)
      expect(yield* runtime.list).toEqual([])
      expect(yield* Effect.promise(() => engineContainers(engine, "dev.ao.store=orphans"))).toEqual([])
    }).pipe(Effect.provide(dockerRuntime(engine.url, "orphans")))
  })

  it.live("an image the engine does not hold is refused with what to do, and nothing is left behind", (context) => {
    if (engine === undefined) return Effect.sync(() => context.skip())
    const layer = makeDockerRuntimeLayer({
      projects: [{ id: "c", repoPath: dir, settings: { image: "not-here:1", engine: engine.url, mounts: [], env: {} } }],
      projectOfSession: () => "c",
      storeId: "missing-image",
      env: process.env,
      homeDir: dir,
      user: { uid: 0, gid: 0 }
    }).pipe(Layer.provide(makeTmuxRuntimeLayer({ socketName: "missing-image", env: tmuxEnv })))
    return Effect.gen(function* () {
      const runtime = yield* Runtime
      const failure = yield* Effect.flip(runtime.create({ name: "i-1", cwd: workDir("i-1"), argv: ["cat"], env: { AO_PROJECT_ID: "c" } }))
      expect(failure.message).toBe(
        `the Docker engine at ${engine.url} could not create session i-1: image not-here:1 is not there; build or load it on that engine (ao never pulls images), or change docker.image of project c`
      )
      expect(yield* runtime.list).toEqual([])
    }).pipe(Effect.provide(layer))
  })
})
