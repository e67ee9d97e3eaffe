import { MemoryRuntimeControl } from "@ao/adapters-memory/runtime"
import { MemoryTrackerControl } from "@ao/adapters-memory/tracker"
import { MemoryWorld } from "@ao/adapters-memory/world"
import { type DomainError, Runtime } from "@ao/domain"
import { Deferred, Effect, type Exit, Layer, Ref } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import type { Answer } from "../src/endpoint"
import { SingleFlight } from "../src/single-flight"
import { type MemoryApi, memoryApi, postJson, request } from "./memory-api"

let api: MemoryApi | undefined
afterEach(async () => {
  await api?.dispose()
  api = undefined
})

const json = async (response: Response) => ({ status: response.status, body: await response.json() })

const spawn = async (target: MemoryApi, body: Record<string, unknown> = { project: "my-app" }) => {
  const response = await postJson(target, "/api/sessions", body)
  expect(response.status).toBe(201)
  return (await response.json()) as { readonly name: string }
}

describe("sessions over HTTP, in memory", () => {
  it("spawn → list → one → kill → list --all, in the CLI's JSON", async () => {
    api = await memoryApi()
    const spawned = await json(await postJson(api, "/api/sessions", { project: "my-app", prompt: "fix the tests" }))
    expect(spawned).toMatchObject({
      status: 201,
      body: { name: "ma-s1", project: "my-app", issue: null, branch: "ao/ma-s1", status: "working", agent: "claude" }
    })

    const listed = await json(await request(api, "/api/sessions"))
    expect(listed.status).toBe(200)
    expect(listed.body).toMatchObject([{ name: "ma-s1", project: "my-app", projectName: "My App", runtimeAlive: true, broken: false }])
    expect(listed.body).toHaveLength(1)

    expect(await json(await request(api, "/api/sessions/ma-s1"))).toMatchObject({ status: 200, body: { name: "ma-s1" } })

    const killed = await json(await postJson(api, "/api/sessions/ma-s1/kill", {}))
    expect(killed).toMatchObject({ status: 200, body: { name: "ma-s1", killed: true, runtimeKilled: true, worktreeRemoved: true } })

    expect((await json(await request(api, "/api/sessions"))).body).toEqual([])
    const all = await json(await request(api, "/api/sessions?all=true"))
    expect(all.body).toMatchObject([{ name: "ma-s1", status: "killed" }])
    expect(await json(await request(api, "/api/sessions/ma-s1"))).toMatchObject({ body: { status: "killed" } })
  })

  it("finishes a kill whose caller has already gone away, so no teardown is left half done", async () => {
    api = await memoryApi()
    await spawn(api)
    const gone = new AbortController()
    gone.abort()
    await Promise.resolve(
      request(api, "/api/sessions/ma-s1/kill", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
        signal: gone.signal
      })
    ).catch(() => undefined)
    const all = await json(await request(api, "/api/sessions?all=true"))
    expect(all.body).toMatchObject([{ name: "ma-s1", status: "killed", runtimeAlive: false }])
  })

  it("diagnoses drift without changing anything, and repairs what is safe on POST /api/doctor/fix", async () => {
    const target = await memoryApi()
    api = target
    await spawn(target)
    // A tmux session named like ours, with no record, whose command has ended: safe to remove.
    await target.world(
      Effect.gen(function* () {
        yield* (yield* Runtime).create({ name: "ma-s9", cwd: "/tmp", argv: ["sh"], env: {} })
        yield* (yield* MemoryRuntimeControl).exitAgent("ma-s9")
      })
    )
    const runtimeNames = () =>
      target.world(Effect.map(Effect.flatMap(Runtime, (runtime) => runtime.list), (sessions) => sessions.map((s) => s.name)))

    const diagnosed = await json(await request(target, "/api/doctor"))
    expect(diagnosed).toMatchObject({
      status: 200,
      body: { ok: false, repairs: [], findings: [{ kind: "orphan-runtime", subject: "ma-s9", fixable: true }] }
    })
    expect(await runtimeNames()).toEqual(["ma-s1", "ma-s9"])

    const fixed = await json(await postJson(target, "/api/doctor/fix", {}))
    expect(fixed).toMatchObject({
      status: 200,
      body: { ok: true, findings: [], repairs: [{ kind: "orphan-runtime", subject: "ma-s9", outcome: "fixed" }] }
    })
    expect(await runtimeNames()).toEqual(["ma-s1"])
  })

  it("filters the listing by project", async () => {
    api = await memoryApi()
    await spawn(api, { project: "my-app" })
    await spawn(api, { project: "agent-orchestrator" })
    const mine = await json(await request(api, "/api/sessions?project=my-app"))
    expect(mine.body).toMatchObject([{ name: "ma-s1" }])
    expect(mine.body).toHaveLength(1)
  })

  it("restores a crashed session, and refuses one still running (409) or whose worktree is gone (409) unless recreated", async () => {
    api = await memoryApi()
    const { name } = await spawn(api)
    const running = await json(await postJson(api, `/api/sessions/${name}/restore`, {}))
    expect(running).toMatchObject({
      status: 409,
      body: { error: { tag: "SessionStillRunning", message: "Cannot restore: Session is still running" } }
    })

    await api.world(Effect.flatMap(MemoryRuntimeControl, (control) => control.crash(name)))
    // No body is an empty one, but it is still JSON: a browser cannot send that cross-site without a preflight.
    const restored = await json(
      await request(api, `/api/sessions/${name}/restore`, { method: "POST", headers: { "content-type": "application/json" } })
    )
    expect(restored).toMatchObject({
      status: 200,
      body: { name, status: "working", worktreeRecreated: false, attach: expect.arrayContaining([expect.stringContaining(name)]) }
    })

    await postJson(api, `/api/sessions/${name}/kill`, {})
    const missing = await json(await postJson(api, `/api/sessions/${name}/restore`, {}))
    expect(missing).toMatchObject({
      status: 409,
      body: { error: { tag: "WorkspaceMissing", hint: expect.stringContaining("--recreate") } }
    })
    const recreated = await json(await postJson(api, `/api/sessions/${name}/restore`, { recreate: true }))
    expect(recreated).toMatchObject({ status: 200, body: { name, worktreeRecreated: true } })
  })

  it("restores every session whose runtime died", async () => {
    api = await memoryApi()
    await spawn(api)
    await spawn(api)
    await api.world(Effect.flatMap(MemoryRuntimeControl, (control) => control.stopServer))
    const report = await json(await postJson(api, "/api/restore", { project: "my-app" }))
    expect(report).toMatchObject({ status: 200, body: { restored: [{ name: "ma-s1" }, { name: "ma-s2" }], failed: [] } })
  })

  it("sends a message, and says why it cannot", async () => {
    api = await memoryApi()
    const { name } = await spawn(api)
    expect(await json(await postJson(api, `/api/sessions/${name}/messages`, { message: "run the tests" }))).toMatchObject({
      status: 200,
      body: { name }
    })
    expect(await api.world(Effect.flatMap(MemoryRuntimeControl, (control) => control.sent(name)))).toEqual(["run the tests"])
    expect(await json(await postJson(api, `/api/sessions/${name}/messages`, { message: "stop\u0003now" }))).toMatchObject({
      status: 400,
      body: { error: { tag: "InvalidInput", message: expect.stringContaining("Ctrl-C (U+0003) at offset 4") } }
    })
    expect(await json(await postJson(api, `/api/sessions/${name}/messages`, { message: "go", wait: false }))).toMatchObject({
      status: 200,
      body: { name, confirmed: false, delivery: "not-checked", confirmedBy: null, enterPresses: 1 }
    })
    expect(await json(await postJson(api, `/api/sessions/${name}/keys`, { key: "C-c" }))).toMatchObject({
      status: 200,
      body: { name, key: "C-c" }
    })
    expect(await json(await postJson(api, `/api/sessions/${name}/keys`, { key: "C-d" }))).toMatchObject({
      status: 400,
      body: { error: { tag: "InvalidInput" } }
    })
    expect(await api.world(Effect.flatMap(MemoryRuntimeControl, (control) => control.sent(name)))).toEqual(["run the tests", "go"])
    // C-c ended the agent: nothing is listening any more.
    expect(await json(await postJson(api, `/api/sessions/${name}/messages`, { message: "  " }))).toMatchObject({
      status: 400,
      body: { error: { tag: "InvalidInput" } }
    })
    expect(await json(await postJson(api, `/api/sessions/${name}/messages`, { message: "hello" }))).toMatchObject({
      status: 409,
      body: { error: { tag: "SessionNotRunning" } }
    })
  })

  it("plans cleanup without changing anything, then applies it", async () => {
    api = await memoryApi()
    await spawn(api)
    const { name } = await spawn(api)
    await api.world(Effect.flatMap(MemoryRuntimeControl, (control) => control.crash(name)))

    const plan = await json(await request(api, "/api/cleanup"))
    expect(plan).toMatchObject({ status: 200, body: { dryRun: true, wouldClean: [{ name, criteria: ["runtime-dead"] }] } })
    expect((await json(await request(api, "/api/sessions"))).body).toHaveLength(2)

    const report = await json(await postJson(api, "/api/cleanup", {}))
    expect(report).toMatchObject({ status: 200, body: { dryRun: false, cleaned: [{ name, criteria: ["runtime-dead"] }], failed: [] } })
    const left = (await json(await request(api, "/api/sessions"))).body
    expect(left).toMatchObject([{ name: "ma-s1" }])
    expect(left).toHaveLength(1)
  })

  it("reports status with the issue's state, as a top-level array", async () => {
    api = await memoryApi()
    await api.world(
      Effect.flatMap(MemoryTrackerControl, (control) => control.setIssue({ id: "INT-7", title: "Fix errors", state: "open" }))
    )
    await spawn(api, { project: "agent-orchestrator", issue: "INT-7" })
    const status = await json(await request(api, "/api/status"))
    expect(status).toMatchObject({
      status: 200,
      body: [{ name: "ao-int-7", branch: "int-7-fix-errors", issueInfo: { id: "INT-7", state: "open" } }]
    })
  })

  it("answers health, and the OpenAPI document", async () => {
    api = await memoryApi()
    expect(await json(await request(api, "/api/health"))).toEqual({ status: 200, body: { status: "ok" } })
  })
})

describe("errors over HTTP", () => {
  it("maps each domain error by its tag: 404 unknown session, 400 bad name, 404 unknown project", async () => {
    api = await memoryApi()
    expect(await json(await request(api, "/api/sessions/ao-404"))).toEqual({
      status: 404,
      body: { error: { tag: "SessionNotFound", message: "Session not found", hint: expect.stringContaining("ao session ls") } }
    })
    expect(await json(await postJson(api, "/api/sessions/ao-404/kill", {}))).toMatchObject({ status: 404 })
    expect(await json(await request(api, "/api/sessions/Not..A_Name"))).toMatchObject({
      status: 400,
      body: { error: { tag: "InvalidSessionName" } }
    })
    expect(await json(await request(api, "/api/sessions?project=nope"))).toMatchObject({
      status: 404,
      body: { error: { tag: "UnknownProject", message: "Unknown project: nope" } }
    })
    expect(await json(await postJson(api, "/api/sessions", { project: "nope" }))).toMatchObject({ status: 404 })
  })

  it("refuses invalid input before any use case runs: 400 bad JSON, bad fields, unknown fields, bad query values", async () => {
    api = await memoryApi()
    const bad = async (response: Response | Promise<Response>) => {
      const answered = await json(await response)
      expect(answered).toMatchObject({ status: 400, body: { error: { tag: "InvalidInput" } } })
      return (answered.body as { readonly error: { readonly message: string } }).error.message
    }
    expect(await bad(request(api, "/api/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: "{" }))).toMatch(/^Invalid body/)
    expect(await bad(postJson(api, "/api/sessions", {}))).toMatch(/^Invalid body\.project/)
    expect(await bad(postJson(api, "/api/sessions", { project: "../etc" }))).toMatch(/^Invalid body\.project "\.\.\/etc"/)
    expect(await bad(postJson(api, "/api/sessions", { project: "my-app", colour: "blue" }))).toMatch(/^Invalid body\.colour/)
    expect(await bad(postJson(api, "/api/sessions", { project: "my-app", issue: "INT 1" }))).toMatch(/issue id/)
    expect(await bad(postJson(api, "/api/sessions", [1, 2]))).toMatch(/^Invalid body/)
    expect(await bad(request(api, "/api/sessions?all=yes"))).toMatch(/^Invalid query\.all "yes"/)
    expect(await bad(request(api, "/api/sessions?colour=blue"))).toMatch(/^Invalid query\.colour/)
    expect(await bad(postJson(api, "/api/cleanup", { dryRun: true }))).toMatch(/^Invalid body\.dryRun/)
  })

  it("refuses a body that is not JSON (415) or too large (413), and wrong methods (405) and routes (404)", async () => {
    api = await memoryApi({ maxBodyBytes: 1024 })
    expect(
      await json(await request(api, "/api/sessions", { method: "POST", headers: { "content-type": "text/plain" }, body: "project=my-app" }))
    ).toMatchObject({ status: 415, body: { error: { tag: "UnsupportedMediaType" } } })
    expect(await json(await postJson(api, "/api/sessions", { project: "my-app", prompt: "x".repeat(2000) }))).toMatchObject({
      status: 413,
      body: { error: { tag: "PayloadTooLarge" } }
    })
    const wrongMethod = await request(api, "/api/sessions", { method: "DELETE" })
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get("allow")).toBe("GET, POST, HEAD")
    expect(await json(await request(api, "/api/sessions/ma-s1/kill"))).toMatchObject({ status: 405 })
    expect(await json(await request(api, "/api/nothing-here"))).toMatchObject({ status: 404, body: { error: { tag: "RouteNotFound" } } })
  })

  it("spawns when GitHub cannot answer, with the reason in warnings", async () => {
    api = await memoryApi()
    await api.world(Effect.flatMap(MemoryTrackerControl, (control) => control.setUnavailable("rate limited")))
    expect(await json(await postJson(api, "/api/sessions", { project: "agent-orchestrator", issue: "INT-9" }))).toMatchObject({
      status: 201,
      body: { name: "ao-int-9", branch: "int-9", warnings: [{ about: "issue", reason: "rate limited; spawned without its title" }] }
    })
  })

  it("answers 422 when the agent exited within spawn's start check, with the CLI's message, and leaves nothing", async () => {
    api = await memoryApi({ world: { runtime: { agent: () => ({ output: "env: 'claude': No such file or directory", exitsAtStart: 127 }) } } })
    const answered = await json(await postJson(api, "/api/sessions", { project: "my-app" }))
    expect(answered).toMatchObject({
      status: 422,
      body: {
        error: {
          tag: "AgentDidNotStart",
          message: "agent command `claude` not found on PATH (exit status 127); session ma-s1 was rolled back (no record, worktree or branch left)"
        }
      }
    })
    expect((answered.body as { error: { hint: string } }).error.hint).toContain("No such file or directory")
    expect((await json(await request(api, "/api/sessions?all=true"))).body).toEqual([])
  })

  it("answers a defect with 500 and no stack trace, and logs it", async () => {
    const broken = Layer.effect(
      Runtime,
      Effect.map(Runtime, (runtime) => Runtime.of({ ...runtime, listServers: () => Effect.die(new Error("tmux parser bug at line 42")) }))
    )
    api = await memoryApi({ layer: Layer.provideMerge(broken, MemoryWorld.layer()) })
    const answered = await json(await request(api, "/api/sessions"))
    expect(answered).toEqual({
      status: 500,
      body: { error: { tag: "InternalError", message: "Internal server error; the server log has the details", hint: null } }
    })
    expect(JSON.stringify(answered.body)).not.toContain("tmux parser bug")
    expect(api.defects.join("\n")).toContain("tmux parser bug at line 42")
  })
})

describe("single flight", () => {
  it("runs concurrent identical reads once, and different reads separately", async () => {
    const gate = Effect.runSync(Deferred.make<void>())
    const calls = Effect.runSync(Ref.make(0))
    const counted = Layer.effect(
      Runtime,
      Effect.map(Runtime, (runtime) =>
        Runtime.of({
          ...runtime,
          listServers: (servers) => Effect.zipRight(Effect.zipRight(Ref.update(calls, (n) => n + 1), Deferred.await(gate)), runtime.listServers(servers))
        })
      )
    )
    const reads = new SingleFlight<Exit.Exit<Answer, DomainError>>()
    api = await memoryApi({ layer: Layer.provideMerge(counted, MemoryWorld.layer()), reads })
    const target = api
    const dashboards = Array.from({ length: 30 }, (_, index) =>
      request(target, index % 2 === 0 ? "/api/sessions?project=my-app&all=false" : "/api/sessions?all=false&project=my-app")
    )
    const other = request(target, "/api/sessions")
    const key = "GET /api/sessions?all=false&project=my-app #0"
    while (reads.callers(key) < 30) await new Promise((resolve) => setImmediate(resolve))
    await Effect.runPromise(Deferred.succeed(gate, undefined))
    const answers = await Promise.all(dashboards.map(async (response) => json(await response)))
    expect(answers.every((answer) => answer.status === 200)).toBe(true)
    expect((await other).status).toBe(200)
    // One run for the thirty identical reads, one for the other.
    expect(Effect.runSync(Ref.get(calls))).toBe(2)
    expect(reads.callers(key)).toBe(0)
  })

  it("a read sent after a change does not join a read that began before it (a page reloading after a kill sees the kill)", async () => {
    const gate = Effect.runSync(Deferred.make<void>())
    const calls = Effect.runSync(Ref.make(0))
    const counted = Layer.effect(
      Runtime,
      Effect.map(Runtime, (runtime) =>
        Runtime.of({
          ...runtime,
          listServers: (servers) => Effect.zipRight(Effect.zipRight(Ref.update(calls, (n) => n + 1), Deferred.await(gate)), runtime.listServers(servers))
        })
      )
    )
    const reads = new SingleFlight<Exit.Exit<Answer, DomainError>>()
    api = await memoryApi({ layer: Layer.provideMerge(counted, MemoryWorld.layer()), reads })
    const target = api
    const before = request(target, "/api/sessions")
    while (reads.callers("GET /api/sessions? #0") < 1) await new Promise((resolve) => setImmediate(resolve))
    // Any change through the API (this one is refused, but the server cannot tell what a change touched).
    const change = await request(target, "/api/sessions/my-app-1/keys", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: "Escape" })
    })
    expect(change.status).toBeGreaterThanOrEqual(200)
    const after = request(target, "/api/sessions")
    while (Effect.runSync(Ref.get(calls)) < 2) await new Promise((resolve) => setTimeout(resolve, 5))
    await Effect.runPromise(Deferred.succeed(gate, undefined))
    expect((await before).status).toBe(200)
    expect((await after).status).toBe(200)
    expect(Effect.runSync(Ref.get(calls))).toBe(2)
  })
})
