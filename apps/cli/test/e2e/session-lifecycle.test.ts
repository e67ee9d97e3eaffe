import { createSandbox, type Sandbox, standInBanner } from "@ao/e2e-harness"
import { existsSync } from "node:fs"
import { readFile, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * The built `ao` against real tmux (a private server) and real git in a
 * sandbox HOME: every command, its output, its exit code and what it leaves
 * on disk. One sandbox for the file; the tests run in order and build on
 * each other like a user's day.
 */

interface ListedSession {
  readonly name: string
  readonly project: string
  readonly branch: string
  readonly status: string
  readonly workspacePath: string
  readonly runtimeAlive: boolean
  readonly lastActivity: string
  readonly pr: unknown
  readonly issue: string | null
}

const ESC = "\u001b["

describe.sequential("ao, end to end", () => {
  let sandbox: Sandbox
  const listJson = async (args: ReadonlyArray<string> = []): Promise<ReadonlyArray<ListedSession>> => {
    const result = await sandbox.ao(["session", "ls", "--json", ...args])
    expect(result.exitCode).toBe(0)
    return JSON.parse(result.stdout) as ReadonlyArray<ListedSession>
  }
  const workspaceOf = async (name: string): Promise<string> => {
    const found = (await listJson(["--all"])).find((session) => session.name === name)
    if (found === undefined) throw new Error(`${name} is not listed`)
    return found.workspacePath
  }
  const paneShows = (name: string, text: string) => async () => (await sandbox.capturePane(name)).includes(text)

  beforeAll(async () => {
    sandbox = await createSandbox({ projectId: "demo" })
  })
  afterAll(async () => {
    await sandbox.dispose()
  })

  it("prints its version", async () => {
    const result = await sandbox.ao(["--version"])
    expect(result.exitCode).toBe(0)
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it("lists nothing before the first spawn", async () => {
    const result = await sandbox.ao(["session", "ls"])
    expect(result).toMatchObject({ exitCode: 0, stdout: "" })
    expect(result.stderr).toContain("No sessions.")
    expect(await listJson()).toEqual([])
  })

  it("spawn creates the worktree, the branch, the tmux session and the record, and prints SESSION= last", async () => {
    const result = await sandbox.ao(["spawn", "demo", "--prompt", "fix the flaky test"])
    expect(result.stderr).toBe("")
    expect(result.exitCode).toBe(0)
    const lines = result.stdout.trimEnd().split("\n")
    expect(lines[0]).toBe("Session demo-s1 spawned.")
    expect(lines).toContain("  Attach:   tmux attach -t demo-s1")
    expect(lines.find((line) => line.startsWith("  Worktree: ~/"))).toBeDefined()
    expect(lines.find((line) => line.startsWith("  Branch:   "))).toBeDefined()
    expect(lines.at(-1)).toBe("SESSION=demo-s1")

    expect(await sandbox.tmuxSessions()).toEqual(["demo-s1"])
    const workspace = await workspaceOf("demo-s1")
    expect(await sandbox.worktrees()).toEqual([workspace])
    expect(workspace.startsWith(sandbox.paths.home)).toBe(true)
    await sandbox.waitFor("the agent's banner", paneShows("demo-s1", standInBanner("launch")))
    expect(await sandbox.capturePane("demo-s1")).toContain("prompt=fix the flaky test")
  })

  it("session ls groups sessions under their project, plain when not a terminal", async () => {
    await sandbox.ao(["spawn", "demo"])
    const result = await sandbox.ao(["session", "ls"])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).not.toContain(ESC)
    const lines = result.stdout.trimEnd().split("\n")
    expect(lines[0]).toBe("demo:")
    // The age is in seconds on a quiet machine; under load a minute can pass since the spawn.
    expect(lines[1]).toMatch(/^ {2}demo-s1 {2}\(\d+[smhd]\) {2}\S+ {2}\[(working|idle)\]$/)
    expect(lines[2]).toMatch(/^ {2}demo-s2 {2}\(\d+[smhd]\) {2}\S+ {2}\[(working|idle)\]$/)
  })

  it("colours ls with FORCE_COLOR, and NO_COLOR wins over it", async () => {
    const coloured = await sandbox.ao(["session", "ls"], { env: { FORCE_COLOR: "1" } })
    expect(coloured.stdout).toContain(`${ESC}32mdemo-s1${ESC}39m`)
    const plain = await sandbox.ao(["session", "ls"], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } })
    expect(plain.stdout).not.toContain(ESC)
  })

  it("shows the live branch of the worktree, not the recorded one", async () => {
    const workspace = await workspaceOf("demo-s2")
    await sandbox.git(["switch", "--quiet", "-c", "renamed-by-agent"], workspace)
    const listed = (await listJson()).find((session) => session.name === "demo-s2")
    expect(listed?.branch).toBe("renamed-by-agent")
  })

  it("status --json is a top-level array jq can select from", async () => {
    const result = await sandbox.ao(["status", "--json"])
    expect(result.exitCode).toBe(0)
    const rows = JSON.parse(result.stdout) as ReadonlyArray<ListedSession>
    expect(Array.isArray(rows)).toBe(true)
    const row = rows.find((candidate) => candidate.name === "demo-s1")
    expect(row).toMatchObject({ project: "demo", runtimeAlive: true, pr: null, issue: null })
    expect(row?.workspacePath).toBe(await workspaceOf("demo-s1"))
    expect(new Date(row?.lastActivity ?? "").toISOString()).toBe(row?.lastActivity)
    const text = await sandbox.ao(["status"])
    expect(text.stdout.split("\n")[0]).toMatch(/^SESSION\s+PROJECT\s+BRANCH\s+STATUS\s+RUNTIME\s+PR\s+ISSUE\s+LAST ACTIVITY$/)
  })

  it("send types the message into the agent's pane and confirms it", async () => {
    const result = await sandbox.ao(["send", "demo-s1", "please", "run", "the", "tests"])
    expect(result).toMatchObject({ exitCode: 0, stdout: "Message delivered to demo-s1.\n" })
    await sandbox.waitFor("the agent to hear it", paneShows("demo-s1", "heard: please run the tests"))
  })

  it("send delivers a long message from a file", async () => {
    const file = join(sandbox.paths.root, "message.txt")
    const long = `${"word ".repeat(120)}end-of-message`
    await writeFile(file, long)
    const result = await sandbox.ao(["send", "demo-s1", "--file", file, "--json"])
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ name: "demo-s1", confirmed: true, delivery: "confirmed", confirmedBy: "screen", enterPresses: 1 })
    await sandbox.waitFor("the agent to hear it", paneShows("demo-s1", "end-of-message"))
  })

  it("send delivers multi-line text as it is", async () => {
    const result = await sandbox.ao(["send", "demo-s1", "first line\nsecond line"])
    expect(result).toMatchObject({ exitCode: 0, stdout: "Message delivered to demo-s1.\n" })
    await sandbox.waitFor("both lines", async () => {
      const pane = await sandbox.capturePane("demo-s1")
      return pane.includes("heard: first line") && pane.includes("heard: second line")
    })
  })

  it("send without a message is a usage error", async () => {
    const result = await sandbox.ao(["send", "demo-s1"])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain("Usage: ao send")
  })

  it("attach explains why it cannot attach without a terminal", async () => {
    const result = await sandbox.ao(["session", "attach", "demo-s1"])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain("Cannot attach to session demo-s1: not a terminal")
  })

  it("attach from a terminal attaches to exactly that session until the client detaches", async () => {
    const attaching = sandbox.aoInTerminal(["session", "attach", "demo-s1"])
    const clients = async () => (await sandbox.tmux(["list-clients", "-F", "#{session_name}"])).split("\n").filter((line) => line !== "")
    await sandbox.waitFor("a client on demo-s1", async () => (await clients()).includes("demo-s1"))
    expect(await clients()).toEqual(["demo-s1"])
    await sandbox.tmux(["detach-client", "-s", "=demo-s1"])
    expect((await attaching).exitCode).toBe(0)
  })

  it("kill snapshots uncommitted work, removes the worktree and the tmux session, and marks the record killed", async () => {
    const workspace = await workspaceOf("demo-s1")
    await writeFile(join(workspace, "notes.txt"), "work in progress\n")
    await writeFile(join(workspace, "README.md"), "# demo, edited\n")

    const result = await sandbox.ao(["session", "kill", "demo-s1"])
    expect(result.stderr).toBe("")
    expect(result.exitCode).toBe(0)
    const lines = result.stdout.trimEnd().split("\n")
    expect(lines[0]).toBe("Session demo-s1 killed.")
    const [ref] = await sandbox.refs("refs/ao/snapshots/demo-s1/")
    expect(ref).toBeDefined()
    expect(result.stdout).toContain(`Work saved to ${ref}`)
    expect(await sandbox.git(["show", `${ref}:notes.txt`])).toBe("work in progress")
    expect(await sandbox.git(["show", `${ref}:README.md`])).toBe("# demo, edited")

    expect(existsSync(workspace)).toBe(false)
    expect(await sandbox.worktrees()).not.toContain(workspace)
    expect(await sandbox.tmuxSessions()).toEqual(["demo-s2"])
    const killed = (await listJson(["--all"])).find((session) => session.name === "demo-s1")
    expect(killed?.status).toBe("killed")
  })

  it("ls hides killed sessions with a one-line count; --all shows them", async () => {
    const result = await sandbox.ao(["session", "ls"])
    expect(result.stdout).not.toContain("demo-s1")
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe("1 killed or done session hidden (--all shows them).")
    const all = await sandbox.ao(["session", "ls", "--all"])
    expect(all.stdout).toMatch(/ {2}demo-s1 .*\[killed\]/)
  })

  it("killing an already-killed session succeeds", async () => {
    const result = await sandbox.ao(["session", "kill", "demo-s1"])
    expect(result.exitCode).toBe(0)
    expect(result.stdout.split("\n")[0]).toBe("Session demo-s1 killed.")
  })

  it("killing an unknown session fails as the spec says", async () => {
    const result = await sandbox.ao(["session", "kill", "ao-int-1234"])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe("")
    expect(result.stderr.split("\n")[0]).toBe("Failed to kill session ao-int-1234: Session not found")
  })

  it("rejects bad session names before touching anything", async () => {
    for (const name of ["../x", "has space", ""]) {
      const result = await sandbox.ao(["session", "kill", name])
      expect(result.exitCode).toBe(1)
      expect(result.stderr).toContain("Invalid session name")
    }
    expect(await sandbox.tmuxSessions()).toEqual(["demo-s2"])
    expect(existsSync(join(sandbox.paths.repo, "..", "x"))).toBe(false)
  })

  it("restore refuses a running session with the spec's message", async () => {
    const result = await sandbox.ao(["session", "restore", "demo-s2"])
    expect(result.exitCode).toBe(1)
    expect(result.stderr.split("\n")).toEqual([
      "Cannot restore: Session is still running",
      "Kill the session first if you want to restart it:",
      "  ao session kill demo-s2",
      "  ao spawn demo  # Create fresh session",
      ""
    ])
  })

  it("Restore Workflow: after the tmux server dies, ls still shows the sessions and restore brings one back", async () => {
    await sandbox.ao(["spawn", "demo"])
    await sandbox.killTmuxServer()
    const listed = await sandbox.ao(["session", "ls"])
    expect(listed.exitCode).toBe(0)
    expect(listed.stdout).toMatch(/ {2}demo-s2 .*\(runtime dead\)/)
    expect(listed.stdout).toMatch(/ {2}demo-s3 .*\(runtime dead\)/)
    expect((await listJson()).every((session) => !session.runtimeAlive)).toBe(true)

    const result = await sandbox.ao(["session", "restore", "demo-s2"])
    expect(result.stderr).toBe("")
    expect(result.exitCode).toBe(0)
    const lines = result.stdout.trimEnd().split("\n")
    expect(lines[0]).toBe("Session demo-s2 restored.")
    expect(lines[1]).toMatch(/^ {2}Worktree: ~\//)
    // The live branch the agent switched to, as ls shows it; the record says ao/demo-s2.
    expect(lines[2]).toBe("  Branch:   renamed-by-agent")
    expect(lines[3]).toBe("  Attach:   tmux attach -t demo-s2")
    expect(await sandbox.tmuxSessions()).toEqual(["demo-s2"])
    await sandbox.waitFor("the resumed agent", paneShows("demo-s2", standInBanner("resume")))
    const restored = (await listJson()).find((session) => session.name === "demo-s2")
    expect(restored).toMatchObject({ runtimeAlive: true })
    expect(["working", "idle"]).toContain(restored?.status)
  })

  it("restore --all brings back every session whose runtime is dead", async () => {
    const result = await sandbox.ao(["session", "restore", "--all"])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain("Session demo-s3 restored.")
    expect(result.stdout).not.toContain("demo-s2")
    expect([...(await sandbox.tmuxSessions())].sort()).toEqual(["demo-s2", "demo-s3"])
  })

  it("restore of a deleted worktree says Workspace missing; --recreate rebuilds it and re-applies the snapshot", async () => {
    const result = await sandbox.ao(["session", "restore", "demo-s1"])
    expect(result.exitCode).toBe(1)
    const [first, ...hint] = result.stderr.split("\n")
    expect(first).toMatch(/^Workspace missing: ~\//)
    expect(hint).toContain("  ao spawn demo")
    expect(hint).toContain("  ao session restore demo-s1 --recreate")

    const recreated = await sandbox.ao(["session", "restore", "demo-s1", "--recreate"])
    expect(recreated.stderr).toBe("")
    expect(recreated.exitCode).toBe(0)
    expect(recreated.stdout).toContain("Session demo-s1 restored.")
    expect(recreated.stdout).toContain("re-applied the latest snapshot")
    const workspace = await workspaceOf("demo-s1")
    expect(await readFile(join(workspace, "notes.txt"), "utf8")).toBe("work in progress\n")
    expect(await sandbox.tmuxSessions()).toContain("demo-s1")
  })

  it("--json errors are JSON on stderr: restoring a killed session without --recreate", async () => {
    await sandbox.ao(["session", "kill", "demo-s3"])
    const result = await sandbox.ao(["session", "restore", "demo-s3", "--json"])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe("")
    const body = JSON.parse(result.stderr) as { error: { tag: string; message: string; hint: string } }
    expect(body.error.tag).toBe("WorkspaceMissing")
    expect(body.error.message).toMatch(/^Workspace missing: \//)
  })

  it("spawn rolls back everything it created when a step fails midway", async () => {
    // A stranger's tmux session squatting on demo-int-404 makes the runtime step fail after the worktree exists.
    await sandbox.tmux(["new-session", "-d", "-s", "demo-int-404", "sleep", "600"])
    const worktreesBefore = await sandbox.worktrees()
    const branchesBefore = await sandbox.refs("refs/heads/")
    const result = await sandbox.ao(["spawn", "demo", "INT-404"])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain("tmux session demo-int-404 already exists and ao did not start it")
    expect(result.stderr).toContain("tmux kill-session -t '=demo-int-404'")
    expect(await sandbox.worktrees()).toEqual(worktreesBefore)
    // The branch it created for demo-int-404 is gone too; the branches of the other sessions stay.
    expect(await sandbox.refs("refs/heads/")).toEqual(branchesBefore)
    const events = (await readFile(join(sandbox.paths.aoHome, "events.jsonl"), "utf8"))
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as { sessionId: string; kind: string; details: Record<string, string> })
    const rollback = events.find((event) => event.sessionId === "demo-int-404" && event.kind === "spawn-rolled-back")
    expect(rollback?.details).toEqual({ undone: "worktree, branch, record" })
    expect((await listJson(["--all"])).map((session) => session.name)).not.toContain("demo-int-404")
    // What spawn did not create, it leaves alone.
    expect(await sandbox.tmuxSessions()).toContain("demo-int-404")
    await sandbox.tmux(["kill-session", "-t", "=demo-int-404"])
  })

  it("an unknown project is named, with the valid ones", async () => {
    const result = await sandbox.ao(["session", "ls", "--project", "my-project"])
    expect(result.exitCode).toBe(1)
    expect(result.stderr.split("\n")).toEqual(["Unknown project: my-project", "Use a valid project ID: demo", ""])
  })

  it("without a config it says to run ao init", async () => {
    const config = await readFile(sandbox.paths.configPath, "utf8")
    await rm(sandbox.paths.configPath)
    try {
      const result = await sandbox.ao(["session", "ls"])
      expect(result.exitCode).toBe(1)
      expect(result.stderr).toBe("Error: No agent-orchestrator.yaml found\nRun: ao init\n")
      // A bad session name is rejected before the config is even looked for.
      const badName = await sandbox.ao(["session", "kill", "../x"])
      expect(badName.exitCode).toBe(1)
      expect(badName.stderr.split("\n")[0]).toBe('Failed to kill session ../x: Invalid session name "../x": it contains \'/\'')
    } finally {
      await writeFile(sandbox.paths.configPath, config)
    }
  })

  it("invalid usage exits 2 with the usage line", async () => {
    const result = await sandbox.ao(["session", "kill"])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain("Usage: ao session kill")
    const unknown = await sandbox.ao(["session", "ls", "--bogus"])
    expect(unknown.exitCode).toBe(2)
  })

  it("prints shell completions for bash, zsh and fish", async () => {
    for (const shell of ["bash", "zsh", "fish"]) {
      const result = await sandbox.ao(["--completions", shell])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain("session")
      expect(result.stdout).toContain("restore")
    }
  })
})
