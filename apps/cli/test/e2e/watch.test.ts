import { createSandbox, type GitHubEmulatorProcess, type Sandbox, STAND_IN_CLAUDE_SCRIPT, startGitHubEmulatorProcess } from "@ao/e2e-harness"
import { createHmac } from "node:crypto"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * ao watch end to end, one `--once` pass at a time (each a new process, so
 * every pass after the first is also a restarted watcher): the built `ao`,
 * real tmux and git, the GitHub emulator, a stand-in that drives Claude
 * Code's hooks, and a loopback webhook receiver checking the signature.
 */

const REPO = "owner/demo"
const SECRET = "e2e-webhook-secret"
const FAILING_LINE = "FAIL src/login.test.ts > rejects an empty password"
/** The first line of the message ao sends for a red CI run. */
const SENT_LINE = "CI failed on your PR #1"

interface Received {
  readonly body: string
  readonly signature: string | undefined
}

describe.sequential("ao watch: CI and reviews go to the agent once; people hear when they are needed", () => {
  let sandbox: Sandbox
  let github: GitHubEmulatorProcess
  let hookServer: Server
  const received: Array<Received> = []
  let branch = ""

  const watchOnce = async () => {
    const result = await sandbox.ao(["watch", "--once"])
    expect(result.exitCode, result.stderr).toBe(0)
    return result
  }
  const stateOf = async () => {
    const listed = JSON.parse((await sandbox.ao(["status", "--json"])).stdout) as ReadonlyArray<{
      readonly name: string
      readonly activity: { readonly state: string }
    }>
    return listed.find((session) => session.name === "demo-s1")?.activity.state
  }
  const type = async (line: string) => {
    await sandbox.tmux(["send-keys", "-t", "=demo-s1:", "-l", line])
    await sandbox.tmux(["send-keys", "-t", "=demo-s1:", "Enter"])
  }
  const idle = async () => {
    await type("stop")
    await sandbox.waitFor("demo-s1 to be idle", async () => (await stateOf()) === "idle", 200)
  }
  const failuresInPane = async () => (await sandbox.capturePane("demo-s1")).split(SENT_LINE).length - 1

  beforeAll(async () => {
    hookServer = createServer((request, response) => {
      let body = ""
      request.setEncoding("utf8")
      request.on("data", (chunk: string) => (body += chunk))
      request.on("end", () => {
        received.push({ body, signature: request.headers["x-ao-signature-256"] as string | undefined })
        response.statusCode = 204
        response.end()
      })
    })
    await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve))
    const hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/ao`
    github = await startGitHubEmulatorProcess()
    await github.addRepository(REPO)
    sandbox = await createSandbox({
      projectId: "demo",
      env: { GITHUB_TOKEN: github.token, AO_HOOK_SECRET: SECRET },
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
          "    reactions:",
          "      autoCleanup: true",
          "agents:",
          "  claude:",
          `    launch: ${agent("launch")}`,
          `    resume: ${agent("resume")}`,
          "github:",
          `  apiUrl: ${quote(github.url)}`,
          "notifiers:",
          `  - { type: webhook, url: ${quote(hookUrl)}, secretEnv: AO_HOOK_SECRET }`,
          ""
        ].join("\n")
      }
    })
    await writeFile(join(sandbox.paths.root, "stand-in-claude.mjs"), STAND_IN_CLAUDE_SCRIPT)
    const spawned = await sandbox.ao(["spawn", "demo", "--prompt", "fix the login form"])
    expect(spawned.exitCode, spawned.stderr).toBe(0)
    await sandbox.waitFor("the first prompt's hooks", async () => (await sandbox.capturePane("demo-s1")).includes("hook PreToolUse"), 200)
    const listed = JSON.parse((await sandbox.ao(["session", "ls", "--json"])).stdout) as ReadonlyArray<{ readonly branch: string }>
    branch = listed[0]?.branch ?? ""
    expect(branch).not.toBe("")
  })
  afterAll(async () => {
    await sandbox?.dispose()
    await github?.stop()
    await new Promise<void>((resolve) => hookServer?.close(() => resolve()))
  })

  it("a red CI run reaches the idle agent exactly once: not on the next pass, not after a restart", async () => {
    await github.setPullRequest(REPO, { number: 1, head: branch, state: "open" })
    await github.setPullRequestReview(REPO, 1, {
      headSha: "1".repeat(40),
      checkRuns: [{ name: "test", status: "completed", conclusion: "failure", id: 101, log: FAILING_LINE }]
    })
    await idle()
    const first = await watchOnce()
    expect(first.stdout).toMatch(/demo-s1 +ci-failed +sent: CI failed on 1111111: test/)
    await sandbox.waitFor("the failure in the agent's pane", async () => (await failuresInPane()) === 1, 200)
    // With the end of the failing job's log, as GitHub serves it.
    expect(await sandbox.capturePane("demo-s1")).toContain(FAILING_LINE)
    await idle()
    const second = await watchOnce()
    expect(second.stdout).not.toContain("ci-failed")
    expect(await failuresInPane()).toBe(1)
  })

  it("green and approved: the webhook receives a signed notification, once", async () => {
    await github.setPullRequestReview(REPO, 1, {
      headSha: "2".repeat(40),
      checkRuns: [{ name: "test", status: "completed", conclusion: "success", id: 102, log: "" }],
      reviews: [{ id: 7, author: "alice", state: "APPROVED", body: "ship it" }]
    })
    const pass = await watchOnce()
    expect(pass.stdout).toMatch(/demo-s1 +approved-and-green +notified/)
    expect(received).toHaveLength(1)
    const [hook] = received
    expect(hook?.signature).toBe(`sha256=${createHmac("sha256", SECRET).update(hook?.body ?? "").digest("hex")}`)
    expect(JSON.parse(hook?.body ?? "{}")).toMatchObject({ event: "ao.reaction", kind: "approved-and-green", sessionId: "demo-s1" })
    await watchOnce()
    expect(received).toHaveLength(1)
  })

  it("merged: with autoCleanup the session is removed and its uncommitted work snapshotted; ao events tells the story", async () => {
    const worktree = (await sandbox.worktrees())[0] ?? ""
    await writeFile(join(worktree, "notes.txt"), "unfinished thoughts\n")
    await github.setPullRequest(REPO, { number: 1, head: branch, state: "merged" })
    const pass = await watchOnce()
    expect(pass.stdout).toMatch(/demo-s1 +pr-merged +cleaned: PR #1 was merged \(.*work saved in refs\/ao\//)
    expect(await sandbox.worktrees()).toEqual([])
    const status = JSON.parse((await sandbox.ao(["status", "--json"])).stdout) as ReadonlyArray<unknown>
    expect(status).toEqual([])
    const snapshots = await sandbox.git(["for-each-ref", "--format=%(refname)", "refs/ao/"], sandbox.paths.repo)
    expect(snapshots).toContain("refs/ao/")
    const events = await sandbox.ao(["events", "--session", "demo-s1", "--json"])
    expect(events.exitCode, events.stderr).toBe(0)
    const kinds = (JSON.parse(events.stdout) as ReadonlyArray<{ readonly kind: string }>).map((event) => event.kind)
    expect(kinds).toEqual(expect.arrayContaining(["spawned", "reaction-sent", "notified", "killed", "cleaned"]))
    expect(kinds.filter((kind) => kind === "reaction-sent")).toHaveLength(1)
    const text = await sandbox.ao(["events", "--session", "demo-s1"])
    expect(text.stdout).toMatch(/demo-s1 +reaction-sent +CI failed on 1111111: test/)
  })
})
