import { type ApiServer, createSandbox, type Sandbox, standInBanner, startApiServer } from "@ao/e2e-harness"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * The built `ao-api` over the live adapters: real tmux on the sandbox's
 * private socket, real git worktrees, the session store and event log on
 * disk under a temp HOME; the CLI acting on the same sessions.
 */
let sandbox: Sandbox
let server: ApiServer
let url: string

const api = (path: string) => server.get(path)
const post = (path: string, body: unknown) => server.post(path, body)

beforeAll(async () => {
  sandbox = await createSandbox({ projectId: "demo" })
  server = await startApiServer(sandbox)
  url = server.url
})

afterAll(async () => {
  await server.stop("SIGKILL")
  await sandbox.dispose()
})

describe("ao-api over real tmux and git", () => {
  it("spawn → list → kill → restore, seen by the CLI, recorded as api:<pid>", async () => {
    const spawned = await post("/api/sessions", { project: "demo", prompt: "fix the tests" })
    expect(spawned).toMatchObject({ status: 201, body: { name: "demo-s1", project: "demo", status: "working" } })
    expect(await sandbox.tmuxSessions()).toEqual(["demo-s1"])
    const worktree = (spawned.body as { readonly workspacePath: string }).workspacePath
    expect(await sandbox.worktrees()).toEqual([worktree])
    await sandbox.waitFor("the agent's banner", async () => (await sandbox.capturePane("demo-s1")).includes(standInBanner("launch")))

    expect(await api("/api/sessions")).toMatchObject({
      status: 200,
      body: [{ name: "demo-s1", branch: "ao/demo-s1", runtimeAlive: true, workspacePath: worktree }]
    })
    // The CLI reads the same store at the same time.
    const [cliList, apiList] = await Promise.all([sandbox.ao(["session", "ls", "--json"]), api("/api/sessions")])
    expect(cliList.exitCode).toBe(0)
    // The same JSON, but for the clock (the two reads are moments apart) and the API's `review`
    // (a project with no GitHub repository has none).
    const timeless = (list: unknown) =>
      (list as ReadonlyArray<Record<string, unknown>>).map(({ ageSeconds: _age, lastActivity: _activity, ...rest }) => rest)
    const apiSessions = apiList.body as ReadonlyArray<Record<string, unknown>>
    expect(apiSessions.map((session) => session.review)).toEqual([null])
    expect(timeless(JSON.parse(cliList.stdout))).toEqual(timeless(apiSessions.map(({ review: _review, ...rest }) => rest)))
    expect(timeless(apiList.body)).toEqual([expect.objectContaining({ name: "demo-s1", workspacePath: worktree })])

    expect(await post("/api/sessions/demo-s1/kill", {})).toMatchObject({
      status: 200,
      body: { name: "demo-s1", killed: true, runtimeKilled: true, worktreeRemoved: true }
    })
    expect(await sandbox.tmuxSessions()).toEqual([])
    expect(await sandbox.worktrees()).toEqual([])
    expect(await api("/api/sessions?all=true")).toMatchObject({ body: [{ name: "demo-s1", status: "killed" }] })

    expect(await post("/api/sessions/demo-s1/restore", {})).toMatchObject({ status: 409, body: { error: { tag: "WorkspaceMissing" } } })
    expect(await post("/api/sessions/demo-s1/restore", { recreate: true })).toMatchObject({
      status: 200,
      body: { name: "demo-s1", status: "working", worktreeRecreated: true }
    })
    expect(await sandbox.tmuxSessions()).toEqual(["demo-s1"])
    expect(await sandbox.worktrees()).toEqual([worktree])
    await sandbox.waitFor("the resumed agent", async () => (await sandbox.capturePane("demo-s1")).includes(standInBanner("resume")))

    const events = await fetch(`${url}/api/events?replay=true&session=demo-s1`)
    const text = await readUntil(events, "event: restored")
    expect(text).toContain(`"actor":"api:${server.pid}"`)
    expect(text).toMatch(/event: spawned[\s\S]*event: killed[\s\S]*event: restored/)
  })

  it("lets the API and the CLI kill the same session at once: one teardown, a consistent record", async () => {
    const spawned = await post("/api/sessions", { project: "demo" })
    expect(spawned).toMatchObject({ status: 201, body: { name: "demo-s2" } })
    const [viaApi, viaCli] = await Promise.all([post("/api/sessions/demo-s2/kill", {}), sandbox.ao(["session", "kill", "demo-s2", "--json"])])
    // Each either did the kill, found it done (alreadyKilled), or was told the session is busy.
    expect([200, 409]).toContain(viaApi.status)
    if (viaApi.status === 409) expect(viaApi.body).toMatchObject({ error: { tag: "SessionLocked" } })
    expect(viaApi.status === 200 || viaCli.exitCode === 0).toBe(true)
    expect(await sandbox.tmuxSessions()).toEqual(["demo-s1"])
    expect(await api("/api/sessions/demo-s2")).toMatchObject({ status: 200, body: { name: "demo-s2", status: "killed" } })
    expect(await sandbox.worktrees()).toHaveLength(1)
  })

  it("ends on SIGTERM with exit code 0, closing its port", async () => {
    const result = await server.stop("SIGTERM")
    expect(result.exitCode).toBe(0)
    await expect(fetch(`${url}/api/health`)).rejects.toThrow()
  })
})

/** The event stream's text up to and including `marker` (the stream itself never ends). */
const readUntil = async (response: Response, marker: string): Promise<string> => {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let text = ""
  while (!text.includes(marker)) {
    const { done, value } = await reader.read()
    if (done) break
    text += value
  }
  await reader.cancel()
  return text
}
