import { type ApiServer, createSandbox, type Sandbox, startApiServer } from "@ao/e2e-harness"
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * A real browser (Debian's chromium, which .ci/run installs) against the
 * built ao-api over real tmux and git. A page on another loopback origin
 * tries every way a page can send a change — form posts, no-cors fetches,
 * text/plain bodies, JSON through CORS, top-level navigations — against
 * every change the API offers, while the browser is signed in; nothing
 * changes. The same browser on the server's own origin can do each change.
 */
const CHROMIUM = "/usr/bin/chromium"
const TOKEN = "browser-test-token"
const DEADLINE = 60_000

let sandbox: Sandbox
let server: ApiServer
let attacker: Server
let attackerPort: number
let profile: string
let context: BrowserContext

/** Every change the API offers, with a body it would accept, aimed at a live session. */
const CHANGES: ReadonlyArray<{ readonly path: string; readonly body: string }> = [
  { path: "/api/sessions", body: '{"project":"demo"}' },
  { path: "/api/sessions/demo-s1/kill", body: "" },
  { path: "/api/sessions/demo-s1/restore", body: '{"recreate":true}' },
  { path: "/api/sessions/demo-s1/messages", body: '{"message":"rm -rf the tests"}' },
  { path: "/api/sessions/demo-s1/keys", body: '{"key":"C-c"}' },
  { path: "/api/restore", body: "{}" },
  { path: "/api/cleanup", body: "{}" },
  { path: "/api/doctor/fix", body: "" }
]

/** The attacker's pages: a form aimed at the API, and a blank page to navigate and fetch from. */
const attackerPage = (url: URL): string => {
  const target = url.searchParams.get("target") ?? ""
  const body = url.searchParams.get("body") ?? ""
  const enctype = url.searchParams.get("enctype") ?? "application/x-www-form-urlencoded"
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")
  if (url.pathname === "/form") {
    // The text/plain trick: name + "=" + value spells the JSON body.
    const [name, value] = body.length > 0 ? [body.slice(0, -2), '"}'] : ["x", "y"]
    return `<!doctype html><form method="POST" action="${escape(target)}" enctype="${escape(enctype)}">
      <input type="hidden" name="${escape(name)}" value="${escape(value)}"></form>`
  }
  return "<!doctype html><title>attacker</title>"
}

const snapshotFiles = async (dir: string): Promise<Record<string, string>> => {
  const files: Record<string, string> = {}
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name)
      files[path] = await readFile(path, "utf8")
    }
  }
  return files
}

/** tmux sessions, git worktrees, session records and the event log. */
const worldState = async () => ({
  tmux: await sandbox.tmuxSessions(),
  worktrees: await sandbox.worktrees(),
  store: await snapshotFiles(sandbox.paths.aoHome)
})

const bearer = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body)
  })

/** Every answer the API gave this page, by URL. */
const apiAnswers = (page: Page) => {
  const statuses: Array<{ readonly url: string; readonly method: string; readonly status: number }> = []
  page.on("response", (response) => {
    if (response.url().startsWith(server.url)) statuses.push({ url: response.url(), method: response.request().method(), status: response.status() })
  })
  return statuses
}

beforeAll(async () => {
  sandbox = await createSandbox({ projectId: "demo" })
  server = await startApiServer(sandbox, { env: { AO_API_TOKEN: TOKEN } })
  expect((await bearer("/api/sessions", { project: "demo" })).status).toBe(201)
  await sandbox.waitFor("demo-s1 in tmux", async () => (await sandbox.tmuxSessions()).includes("demo-s1"), 1200)

  attacker = createServer((request, response) => {
    response.writeHead(200, { "content-type": "text/html" })
    response.end(attackerPage(new URL(request.url ?? "/", "http://attacker")))
  })
  attackerPort = await new Promise<number>((resolve) => attacker.listen(0, "127.0.0.1", () => resolve((attacker.address() as AddressInfo).port)))

  profile = await mkdtemp(join(tmpdir(), "ao-browser-"))
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ],
    timeout: DEADLINE
  })
  context.setDefaultTimeout(DEADLINE)
  context.setDefaultNavigationTimeout(DEADLINE)
}, 180_000)

afterAll(async () => {
  await context?.close()
  await new Promise((resolve) => attacker?.close(resolve))
  await server?.stop("SIGKILL")
  await sandbox?.dispose()
  if (profile !== undefined) await rm(profile, { recursive: true, force: true })
})

describe("a real browser against ao-api", () => {
  it("signs in through the one-time URL: an HttpOnly SameSite=Strict cookie for the server's origin", async () => {
    const page = await context.newPage()
    const response = await page.goto(server.signInUrl!)
    // It lands on the dashboard, signed in.
    expect(response?.url()).toBe(`${server.url}/`)
    expect(await page.title()).toBe("ao fleet")
    const [cookie, ...others] = await context.cookies(server.url)
    expect(others).toEqual([])
    expect(cookie).toMatchObject({ name: "ao_api_session", httpOnly: true, sameSite: "Strict" })
    // Spent: opening it again signs nobody in.
    expect((await page.goto(server.signInUrl!))?.status()).toBe(401)
    await page.close()
  })

  // Cross-site (localhost vs 127.0.0.1) and same-site (another port of 127.0.0.1): both are other origins.
  for (const attackerHost of ["localhost", "127.0.0.1"]) {
    it(`a page on http://${attackerHost}:<other port> changes nothing, though the browser is signed in`, async () => {
      const origin = `http://${attackerHost}:${attackerPort}`
      const before = await worldState()
      const page = await context.newPage()
      const answers = apiAnswers(page)
      let attempts = 0

      for (const change of CHANGES) {
        const target = `${server.url}${change.path}`
        for (const enctype of ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]) {
          await page.goto(`${origin}/form?${new URLSearchParams({ target, body: change.body, enctype })}`)
          // The attacker's own script submits the form, as a hidden one on any page could.
          const [answered] = await Promise.all([
            page.waitForResponse((response) => response.url() === target),
            page.evaluate("document.forms[0].submit()")
          ])
          expect([403, 415], `form ${enctype} to ${change.path}`).toContain(answered.status())
          // The refusal is shown as the page: let it load before the next attack navigates away.
          await page.waitForURL(target)
          attempts++
        }
        await page.goto(`${origin}/blank`)
        const [navigated] = await Promise.all([
          page.waitForResponse((response) => response.url() === target),
          page.evaluate(`location.href = ${JSON.stringify(target)}`)
        ])
        // A GET changes nothing: no change takes it (405), a cross-site one carries no Strict cookie (401), and
        // where a read shares the path (the listing) the browser shows it to its user, never to the page (200).
        expect([200, 401, 405], `navigation to ${change.path}`).toContain(navigated.status())
        await page.waitForURL(target)
        attempts++
      }

      await page.goto(`${origin}/blank`)
      const fetched = await page.evaluate(
        async ({ api, changes }) => {
          const tries: Array<Promise<string>> = []
          for (const change of changes) {
            const url = `${api}${change.path}`
            const attempt = (init: RequestInit) =>
              fetch(url, { method: "POST", credentials: "include", ...init }).then(
                (response) => `${response.type}`,
                (error: unknown) => `refused: ${String(error)}`
              )
            tries.push(attempt({ mode: "no-cors", body: change.body }))
            tries.push(attempt({ mode: "no-cors", headers: { "content-type": "text/plain" }, body: change.body }))
            tries.push(attempt({ mode: "no-cors" }))
            tries.push(attempt({ mode: "cors", headers: { "content-type": "application/json" }, body: change.body }))
          }
          return Promise.all(tries)
        },
        { api: server.url, changes: CHANGES }
      )
      attempts += fetched.length
      // no-cors answers are opaque to the page; the JSON one never got past its preflight.
      expect(fetched.filter((result) => result === "opaque")).toHaveLength(CHANGES.length * 3)
      expect(fetched.filter((result) => result.startsWith("refused"))).toHaveLength(CHANGES.length)

      expect(attempts).toBe(CHANGES.length * 8)
      await sandbox.waitFor("the browser's answers", async () => answers.filter((answer) => answer.method === "POST").length >= CHANGES.length * 6, 1200)
      const posts = answers.filter((answer) => answer.method === "POST")
      expect(posts.filter((answer) => answer.status < 400)).toEqual([])
      expect(new Set(posts.map((answer) => answer.status))).toEqual(new Set([403]))
      expect(await worldState()).toEqual(before)
      await page.close()
    }, 600_000)
  }

  it("the same browser on the server's own origin, signed in, can make each change and follow the events", async () => {
    const page = await context.newPage()
    const signedIn = await page.goto(`${server.url}/api/health`)
    expect(signedIn?.status()).toBe(200)
    const call = (path: string, body: string) =>
      page.evaluate(
        async ({ path, body }) => {
          const response = await fetch(path, {
            method: "POST",
            headers: { "content-type": "application/json" },
            ...(body === "" ? {} : { body })
          })
          return { status: response.status, body: (await response.json()) as unknown }
        },
        { path, body }
      )

    expect(await call("/api/sessions", '{"project":"demo"}')).toMatchObject({ status: 201, body: { name: "demo-s2" } })
    await sandbox.waitFor("demo-s2 in tmux", async () => (await sandbox.tmuxSessions()).includes("demo-s2"), 1200)
    expect(await call("/api/sessions/demo-s1/messages", '{"message":"hello from the page"}')).toMatchObject({
      status: 200,
      body: { name: "demo-s1", delivery: "confirmed" }
    })
    expect(await call("/api/sessions/demo-s1/keys", '{"key":"Tab"}')).toMatchObject({ status: 200, body: { name: "demo-s1", key: "Tab" } })
    expect(await call("/api/sessions/demo-s1/kill", "")).toMatchObject({ status: 200, body: { name: "demo-s1", killed: true } })
    expect(await sandbox.tmuxSessions()).toEqual(["demo-s2"])
    expect(await call("/api/sessions/demo-s1/restore", '{"recreate":true}')).toMatchObject({ status: 200, body: { name: "demo-s1" } })
    expect(await sandbox.tmuxSessions()).toEqual(["demo-s1", "demo-s2"])
    expect(await call("/api/restore", "{}")).toMatchObject({ status: 200 })
    expect(await call("/api/cleanup", "{}")).toMatchObject({ status: 200 })
    expect(await call("/api/doctor/fix", "")).toMatchObject({ status: 200 })

    // An EventSource sends no Authorization header: the cookie is what lets it in.
    const followed = await page.evaluate(
      () =>
        new Promise<ReadonlyArray<string>>((resolve, reject) => {
          const source = new EventSource("/api/events?replay=true&session=demo-s1")
          const seen: Array<string> = []
          for (const kind of ["spawned", "message-sent", "key-sent", "killed", "restored"]) {
            source.addEventListener(kind, (event) => {
              seen.push(`${kind} ${(event as MessageEvent).lastEventId}`)
              if (kind === "restored") {
                source.close()
                resolve(seen)
              }
            })
          }
          source.onerror = () => {
            source.close()
            reject(new Error(`the event stream failed after ${seen.join(", ")}`))
          }
        })
    )
    expect(followed.map((line) => line.split(" ")[0])).toEqual(["spawned", "message-sent", "key-sent", "killed", "restored"])
    // Each event carries its own id.
    expect(new Set(followed.map((line) => line.split(" ")[1])).size).toBe(followed.length)
    await page.close()
  }, 300_000)
})
