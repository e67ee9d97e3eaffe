import { type ApiServer, createSandbox, type Sandbox, STAND_IN_CLAUDE_SCRIPT, startApiServer, workspaceRoot } from "@ao/e2e-harness"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * The web dashboard in a real browser (Debian's chromium) against the built
 * ao-api over real tmux and git: three sessions spawned by the CLI with a
 * stand-in that drives Claude Code's hooks, so their states are real.
 * Screenshots go to reports/dashboard/.
 */
const CHROMIUM = "/usr/bin/chromium"
const TOKEN = "dashboard-test-token"
const DEADLINE = 60_000
const SCREENSHOTS = join(workspaceRoot(), "reports", "dashboard")

let sandbox: Sandbox
let server: ApiServer
let profile: string
let context: BrowserContext
let page: Page

const type = async (name: string, line: string) => {
  await sandbox.tmux(["send-keys", "-t", `=${name}:`, "-l", line])
  await sandbox.tmux(["send-keys", "-t", `=${name}:`, "Enter"])
}
const paneShows = (name: string, text: string) => async () => (await sandbox.capturePane(name)).includes(text)
const cardNames = async (): Promise<Array<string>> =>
  (await page.locator(".board .card").evaluateAll((cards) => cards.map((card) => card.getAttribute("data-session")))).filter(
    (name): name is string => name !== null
  )

describe.sequential("the web dashboard in a browser", () => {
  beforeAll(async () => {
    sandbox = await createSandbox({
      projectId: "demo",
      config: (paths) => {
        const quote = (text: string) => JSON.stringify(text)
        const agent = (mode: string) => `[${quote(process.execPath)}, ${quote(join(paths.root, "stand-in-claude.mjs"))}, ${mode}]`
        return [
          "projects:",
          "  demo:",
          `    path: ${quote(paths.repo)}`,
          "    defaultBranch: main",
          "    sessionPrefix: demo",
          "    agent: claude",
          "    tracker: none",
          "    idleAfter: 3600",
          "agents:",
          "  claude:",
          `    launch: ${agent("launch")}`,
          `    resume: ${agent("resume")}`,
          ""
        ].join("\n")
      }
    })
    await writeFile(join(sandbox.paths.root, "stand-in-claude.mjs"), STAND_IN_CLAUDE_SCRIPT)
    for (const task of ["fix the login form", "add tests", "update the docs"]) {
      const spawned = await sandbox.ao(["spawn", "demo", "--prompt", task])
      expect(spawned.exitCode, spawned.stderr).toBe(0)
    }
    for (const name of ["demo-s1", "demo-s2", "demo-s3"]) await sandbox.waitFor(`${name}'s hooks`, paneShows(name, "hook PreToolUse"), 1200)
    server = await startApiServer(sandbox, { env: { AO_API_TOKEN: TOKEN } })
    profile = await mkdtemp(join(tmpdir(), "ao-dashboard-"))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      timeout: DEADLINE
    })
    context.setDefaultTimeout(DEADLINE)
    await mkdir(SCREENSHOTS, { recursive: true })
  }, 300_000)

  afterAll(async () => {
    await context?.close()
    await server?.stop()
    await sandbox?.dispose()
    if (profile !== undefined) await rm(profile, { recursive: true, force: true })
  }, 120_000)

  it("without sign-in the page shows nothing; the one-time URL opens the board listing the three sessions, within 150 KB", async () => {
    const stranger = await fetch(`${server.url}/`)
    expect(stranger.status).toBe(401)
    const text = await stranger.text()
    expect(text).not.toContain("demo-s1")
    expect(text).not.toContain("<script")

    page = await context.newPage()
    const errors: Array<string> = []
    page.on("pageerror", (error) => errors.push(error.message))
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text())
    })
    const landed = await page.goto(server.signInUrl!)
    expect(new URL(landed!.url()).pathname).toBe("/")
    expect(landed!.headers()["content-security-policy"]).toContain("script-src 'self'")
    // The page's CSP allows no eval, so the test reads the page through locators.
    await expect.poll(async () => (await cardNames()).sort(), { timeout: DEADLINE }).toEqual(["demo-s1", "demo-s2", "demo-s3"])
    await expect.poll(() => page.locator(".card[data-session=demo-s1] .last-line").textContent(), { timeout: DEADLINE }).not.toBe("")
    await page.screenshot({ path: join(SCREENSHOTS, "board.png"), fullPage: true })

    // What the first load transfers, compressed as the server sends it.
    const cookie = (await context.cookies(server.url)).map((each) => `${each.name}=${each.value}`).join("; ")
    let bytes = 0
    for (const path of ["/", "/app.js", "/app.css"]) {
      const response = await fetch(`${server.url}${path}`, { headers: { cookie, "accept-encoding": "gzip" } })
      expect(response.status).toBe(200)
      bytes += gzipSync(Buffer.from(await response.arrayBuffer())).length
    }
    expect(bytes).toBeLessThan(150 * 1024)
    expect(errors, errors.join("\n")).toEqual([])
  }, 180_000)

  it("an agent entering a permission prompt moves its card to the top, live, with what it asks", async () => {
    expect((await cardNames())[0]).not.toBe("demo-s3")
    const asked = Date.now()
    await type("demo-s3", "ask Bash")
    await expect.poll(async () => (await cardNames())[0], { timeout: DEADLINE, interval: 100 }).toBe("demo-s3")
    console.log(`dashboard: demo-s3 on top ${Date.now() - asked} ms after the prompt was typed`)
    await expect.poll(() => page.locator(".card[data-session=demo-s3] .reason").textContent(), { timeout: DEADLINE }).toContain(
      "permission to use Bash"
    )
    await page.screenshot({ path: join(SCREENSHOTS, "board-waiting.png"), fullPage: true })
  }, 120_000)

  it("a message sent from the session page arrives in the agent's pane and shows in its live output", async () => {
    await page.getByRole("link", { name: "demo-s1" }).click()
    await page.getByRole("heading", { name: "demo-s1" }).waitFor()
    await page.getByLabel("Message to the agent").fill("hello from the page")
    await page.getByRole("button", { name: "Send" }).click()
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Message" }).textContent(), { timeout: DEADLINE }).toBe(
      "Message delivered."
    )
    await sandbox.waitFor("the message in the pane", paneShows("demo-s1", "hello from the page"), 1200)
    await expect.poll(() => page.locator("pre.output").textContent(), { timeout: DEADLINE }).toContain("hello from the page")
    await page.screenshot({ path: join(SCREENSHOTS, "session.png"), fullPage: true })
  }, 120_000)

  it("kill from the page removes the session and says what was saved and how to get it back", async () => {
    await page.getByRole("button", { name: "Kill…" }).click()
    await page.getByRole("button", { name: "Confirm: kill demo-s1" }).click()
    await expect.poll(() => page.locator(".notice").textContent(), { timeout: DEADLINE }).toContain("Killed demo-s1.")
    expect(await page.locator(".notice").textContent()).toContain("ao session restore demo-s1 --recreate")
    expect(await sandbox.tmuxSessions()).not.toContain("demo-s1")
    await page.screenshot({ path: join(SCREENSHOTS, "session-killed.png"), fullPage: true })
    await page.getByRole("link", { name: "ao fleet" }).click()
    await expect.poll(async () => (await cardNames()).sort(), { timeout: DEADLINE }).toEqual(["demo-s2", "demo-s3"])
  }, 120_000)
})
