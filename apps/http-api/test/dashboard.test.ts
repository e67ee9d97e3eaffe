import {
  type ApiServer,
  createSandbox,
  type GitHubEmulatorProcess,
  type Sandbox,
  STAND_IN_CLAUDE_SCRIPT,
  startApiServer,
  startGitHubEmulatorProcess,
  workspaceRoot
} from "@ao/e2e-harness"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { axeScan, findingsText } from "./axe"

/**
 * The web dashboard in a real browser (Debian's chromium) against the built
 * ao-api over real tmux and git: three sessions spawned by the CLI with a
 * stand-in that drives Claude Code's hooks, so their states are real, and
 * the GitHub emulator for the PRs' CI and review state (the API reuses its
 * answer for 1 s here: AO_API_REVIEW_TTL_SECONDS). Screenshots go to
 * reports/dashboard/.
 */
const CHROMIUM = "/usr/bin/chromium"
const TOKEN = "dashboard-test-token"
const DEADLINE = 60_000
const SCREENSHOTS = join(workspaceRoot(), "reports", "dashboard")
const REPO = "acme/demo"

let sandbox: Sandbox
let github: GitHubEmulatorProcess
let server: ApiServer
let profile: string
let context: BrowserContext
let page: Page

const type = async (name: string, line: string) => {
  await sandbox.tmux(["send-keys", "-t", `=${name}:`, "-l", line])
  await sandbox.tmux(["send-keys", "-t", `=${name}:`, "Enter"])
}
const paneShows = (name: string, text: string) => async () => (await sandbox.capturePane(name)).includes(text)
/** No serious or critical axe-core violation in light or dark, and the scan really ran rules. */
const accessible = async (what: string) => {
  const { findings, passed } = await axeScan(page)
  expect(findings, `axe-core on ${what}:\n${findingsText(findings)}`).toEqual([])
  expect(passed, `axe-core rules that passed on ${what}`).toBeGreaterThan(10)
}

/** The focused element as the keyboard left it: its text, and whether a focus ring of at least 2 px is drawn. */
const focused = () =>
  page.evaluate(`(() => {
    const element = document.activeElement
    if (element === null || element === document.body) return { text: "", ring: "no element has the focus" }
    const style = getComputedStyle(element)
    const drawn = style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2 && element.matches(":focus-visible")
    return { text: element.textContent ?? "", ring: drawn ? "visible" : "not drawn: outline " + style.outline }
  })()`) as Promise<{ readonly text: string; readonly ring: string }>

/** Presses Tab until the focus is on the control with this role and name, at most 80 times. */
const tabTo = async (role: "link" | "button" | "textbox", name: string) => {
  const target = page.getByRole(role, { name, exact: true })
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press("Tab")
    if (await target.evaluateAll((all) => all.some((element) => element.matches(":focus")))) return
  }
  throw new Error(`Tab never reached the ${role} "${name}"`)
}

/** The focus ring is drawn where the focus is. */
const focusVisible = async () => expect((await focused()).ring).toBe("visible")

const cardNames = async (): Promise<Array<string>> =>
  (await page.locator(".board .card").evaluateAll((cards) => cards.map((card) => card.getAttribute("data-session")))).filter(
    (name): name is string => name !== null
  )

describe.sequential("the web dashboard in a browser", () => {
  beforeAll(async () => {
    github = await startGitHubEmulatorProcess()
    await github.addRepository(REPO)
    sandbox = await createSandbox({
      projectId: "demo",
      env: { GITHUB_TOKEN: github.token },
      config: (paths) => {
        const quote = (text: string) => JSON.stringify(text)
        const agent = (mode: string) => `[${quote(process.execPath)}, ${quote(join(paths.root, "stand-in-claude.mjs"))}, ${mode}]`
        return [
          "projects:",
          "  demo:",
          `    path: ${quote(paths.repo)}`,
          `    repo: ${REPO}`,
          "    defaultBranch: main",
          "    sessionPrefix: demo",
          "    agent: claude",
          "    tracker: none",
          "    scm: github",
          "    idleAfter: 3600",
          "agents:",
          "  claude:",
          `    launch: ${agent("launch")}`,
          `    resume: ${agent("resume")}`,
          "github:",
          `  apiUrl: ${quote(github.url)}`,
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
    server = await startApiServer(sandbox, { env: { AO_API_TOKEN: TOKEN, AO_API_REVIEW_TTL_SECONDS: "1" } })
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
    await github?.stop()
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
    await accessible("the board")
    await page.getByText("Spawn a session", { exact: true }).click()
    await page.getByLabel("Project").waitFor()
    await accessible("the board with the spawn form open")
    await page.getByText("Spawn a session", { exact: true }).click()

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

  it("a PR whose CI fails shows on its card and its page, with a link to the check; GitHub's next answer shows once the cache expires", async () => {
    const listed = await fetch(`${server.url}/api/sessions/demo-s2`, { headers: { authorization: `Bearer ${TOKEN}` } })
    const { branch } = (await listed.json()) as { readonly branch: string }
    expect(branch).toBe("ao/demo-s2")
    await github.setPullRequest(REPO, { number: 7, head: branch, state: "open" })
    await github.setPullRequestReview(REPO, 7, {
      checkRuns: [{ name: "unit tests", status: "completed", conclusion: "failure", id: 701, log: "FAIL login.test.ts" }]
    })
    // The page reads the list at events and at load, never on a timer: a reload reads it again.
    const card = page.locator(".card[data-session=demo-s2] .review")
    await expect
      .poll(
        async () => {
          await page.reload()
          await page.locator(".card[data-session=demo-s2]").waitFor()
          return (await card.count()) === 0 ? "" : await card.textContent()
        },
        { timeout: DEADLINE, interval: 1000 }
      )
      .toContain("CI failing (unit tests)")

    await page.getByRole("link", { name: "demo-s2" }).click()
    await page.getByRole("heading", { name: "demo-s2" }).waitFor()
    await expect.poll(() => page.locator(".details .ci").textContent(), { timeout: DEADLINE }).toBe("failing")
    const check = page.locator(".details .failing-checks a")
    expect(await check.textContent()).toBe("unit tests")
    expect(await check.getAttribute("href")).toMatch(new RegExp(`/${REPO}/actions/runs/\\d+/job/701$`))
    expect(await page.locator(".details .decision").textContent()).toBe("review required")
    expect(await page.locator(".details .fix-requests").textContent()).toBe("none sent")
    await page.screenshot({ path: join(SCREENSHOTS, "session-ci-failing.png"), fullPage: true })
    await accessible("a session's page with failing CI")

    // GitHub changes: CI passes and a reviewer approves. The server asks again once its 1 s cache has expired.
    await github.setPullRequestReview(REPO, 7, {
      headSha: "2".repeat(40),
      checkRuns: [{ name: "unit tests", status: "completed", conclusion: "success", id: 702, log: "" }],
      reviews: [{ id: 9, author: "alice", state: "APPROVED", body: "ship it" }]
    })
    await expect
      .poll(
        async () => {
          await page.reload()
          await page.getByRole("heading", { name: "demo-s2" }).waitFor()
          await page.locator(".details dd").first().waitFor()
          return `${await page.locator(".details .ci").textContent()} ${await page.locator(".details .decision").textContent()}`
        },
        { timeout: DEADLINE, interval: 1000 }
      )
      .toBe("passing approved")
    expect(await page.locator(".details .failing-checks").count()).toBe(0)
    await page.screenshot({ path: join(SCREENSHOTS, "session-approved.png"), fullPage: true })
    await page.getByRole("link", { name: "ao fleet" }).click()
    await expect.poll(() => page.locator(".card[data-session=demo-s2] .review").textContent(), { timeout: DEADLINE }).toContain("CI passing")
  }, 180_000)

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
    await accessible("a session's page")
  }, 120_000)

  it("kill from the page removes the session and says what was saved and how to get it back", async () => {
    await page.getByRole("button", { name: "Kill…" }).click()
    await page.getByRole("button", { name: "Confirm: kill demo-s1" }).waitFor()
    await accessible("a session's page asking to confirm the kill")
    await page.getByRole("button", { name: "Confirm: kill demo-s1" }).click()
    await expect.poll(() => page.locator(".notice").textContent(), { timeout: DEADLINE }).toContain("Killed demo-s1.")
    expect(await page.locator(".notice").textContent()).toContain("ao session restore demo-s1 --recreate")
    expect(await sandbox.tmuxSessions()).not.toContain("demo-s1")
    // The header follows the kill: the session is read again once it ended, and says so.
    await expect.poll(() => page.locator(".details dd").nth(1).textContent(), { timeout: DEADLINE }).toBe("killed")
    await expect.poll(() => page.locator(".details dd").first().textContent(), { timeout: DEADLINE }).toBe("killed")
    expect(await page.locator(".notice").textContent()).toContain("Killed demo-s1.")
    await page.screenshot({ path: join(SCREENSHOTS, "session-killed.png"), fullPage: true })
    await page.getByRole("link", { name: "ao fleet" }).click()
    await expect.poll(async () => (await cardNames()).sort(), { timeout: DEADLINE }).toEqual(["demo-s2", "demo-s3"])
  }, 120_000)

  it("the cleanup plan asks to confirm, then cleans up the session whose agent is gone", async () => {
    // demo-s3's tmux session ends behind ao's back (demo-s2 keeps the tmux server up).
    await sandbox.tmux(["kill-session", "-t", "=demo-s3"])
    await page.getByText("Cleanup", { exact: true }).click()
    await page.getByRole("button", { name: "Plan cleanup" }).click()
    const confirm = page.getByRole("button", { name: "Confirm: clean up 1" })
    await confirm.waitFor()
    expect(await page.locator(".cleanup-result li").textContent()).toContain("demo-s3")
    await accessible("the cleanup plan asking to confirm")
    await confirm.click()
    await expect.poll(() => page.locator(".cleanup-result").textContent(), { timeout: DEADLINE }).toContain("Cleaned up: demo-s3.")
    await expect.poll(async () => (await cardNames()).sort(), { timeout: DEADLINE }).toEqual(["demo-s2"])
  }, 120_000)

  it("with the keyboard only: Tab to a card, open it, send a message, press Escape, kill with confirm; the focus is always visible", async () => {
    await page.bringToFront()
    await page.goto(`${server.url}/#/`)
    await expect.poll(async () => cardNames(), { timeout: DEADLINE }).toEqual(["demo-s2"])
    await tabTo("link", "demo-s2")
    await focusVisible()
    await page.keyboard.press("Enter")
    await page.getByRole("heading", { name: "demo-s2" }).waitFor()

    await tabTo("textbox", "Message to the agent")
    await focusVisible()
    await page.keyboard.type("typed without a mouse")
    await page.keyboard.press("Control+Enter")
    await expect.poll(() => page.locator(".notice").textContent(), { timeout: DEADLINE }).toBe("Message delivered.")
    await sandbox.waitFor("the typed message in the pane", paneShows("demo-s2", "typed without a mouse"), 1200)

    await tabTo("button", "Escape")
    await focusVisible()
    await page.keyboard.press("Enter")
    await expect.poll(() => page.locator(".notice").textContent(), { timeout: DEADLINE }).toBe("Pressed Escape.")

    await tabTo("button", "Kill…")
    await focusVisible()
    await page.keyboard.press("Enter")
    // The confirm step takes the focus, so Enter again is the deliberate second step.
    await expect.poll(async () => (await focused()).text, { timeout: DEADLINE }).toBe("Confirm: kill demo-s2")
    await focusVisible()
    await page.keyboard.press("Enter")
    await expect.poll(() => page.locator(".notice").textContent(), { timeout: DEADLINE }).toContain("Killed demo-s2.")
    expect(await sandbox.tmuxSessions()).not.toContain("demo-s2")
  }, 180_000)
})
