import { existsSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createSandbox, type Sandbox, standInBanner, startGitHubEmulatorProcess } from "../src/index"

describe("sandbox", () => {
  let sandbox: Sandbox

  beforeAll(async () => {
    sandbox = await createSandbox({ projectId: "demo" })
  })
  afterAll(async () => {
    await sandbox.dispose()
  })

  it("isolates HOME, AO_HOME and tmux from the user's", () => {
    expect(sandbox.env["HOME"]).toBe(sandbox.paths.home)
    expect(sandbox.env["TMUX_TMPDIR"]).toBe(sandbox.paths.tmuxTmpdir)
    expect(sandbox.env["AO_HOME"]?.startsWith(sandbox.paths.root)).toBe(true)
    expect(sandbox.env["TMUX"]).toBeUndefined()
    expect(sandbox.env["GITHUB_TOKEN"]).toBeUndefined()
  })

  it("makes a repository on main with one commit pushed to a bare origin", async () => {
    expect(await sandbox.git(["branch", "--show-current"])).toBe("main")
    expect(await sandbox.git(["rev-list", "--count", "HEAD"])).toBe("1")
    expect(await sandbox.git(["rev-parse", "origin/main"])).toBe(await sandbox.git(["rev-parse", "HEAD"]))
    expect(await sandbox.worktrees()).toEqual([])
  })

  it("writes the config where AO_CONFIG_PATH points", async () => {
    expect(sandbox.env["AO_CONFIG_PATH"]).toBe(sandbox.paths.configPath)
    expect(await readFile(sandbox.paths.configPath, "utf8")).toContain(sandbox.paths.agentScript)
  })

  it("runs the stand-in agent on the private tmux server", async () => {
    expect(await sandbox.tmuxSessions()).toEqual([])
    await sandbox.tmux(["new-session", "-d", "-s", "probe", "-c", sandbox.paths.repo, sandbox.paths.agentScript, "launch"])
    expect(existsSync(join(sandbox.paths.tmuxTmpdir, `tmux-${process.getuid?.() ?? 0}`, "default"))).toBe(true)
    expect(await sandbox.tmuxSessions()).toEqual(["probe"])
    await sandbox.waitFor("the banner", async () => (await sandbox.capturePane("probe")).includes(standInBanner("launch")))
    await sandbox.tmux(["send-keys", "-t", "=probe:", "-l", "hello there"])
    await sandbox.tmux(["send-keys", "-t", "=probe:", "Enter"])
    await sandbox.waitFor("the echo", async () => (await sandbox.capturePane("probe")).includes("heard: hello there"))
    await sandbox.killTmuxServer()
    expect(await sandbox.tmuxSessions()).toEqual([])
  })

  it("removes everything on dispose", async () => {
    const other = await createSandbox({ config: null })
    expect(existsSync(other.paths.configPath)).toBe(false)
    await other.tmux(["new-session", "-d", "-s", "gone", "sleep", "60"])
    await other.dispose()
    expect(existsSync(other.paths.root)).toBe(false)
    expect(await other.tmuxSessions()).toEqual([])
  })
})

describe("GitHub emulator process", () => {
  it("serves what a test seeds, on loopback", async () => {
    const emulator = await startGitHubEmulatorProcess("t0ken")
    try {
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/)
      const url = await emulator.setPullRequest("owner/demo", { number: 7, head: "demo-1", state: "merged" })
      expect(url).toContain("/owner/demo/pull/7")
      const response = await fetch(`${emulator.url}/repos/owner/demo/pulls/7`, { headers: { authorization: "token t0ken" } })
      expect(((await response.json()) as { merged: boolean }).merged).toBe(true)
      expect(await emulator.requestCount()).toBe(1)
    } finally {
      await emulator.stop()
    }
  })
})
