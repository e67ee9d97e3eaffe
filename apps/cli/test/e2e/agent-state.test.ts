import { createSandbox, type Sandbox, STAND_IN_CLAUDE_SCRIPT, startApiServer } from "@ao/e2e-harness"
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * Agents tell ao what they are doing: a stand-in that drives Claude Code's
 * hooks (from the settings ao spawn wrote into its worktree) through a task,
 * with the built `ao`, real tmux on a private server and real git.
 */

interface Listed {
  readonly name: string
  readonly activity: { readonly state: string; readonly source: string; readonly detail: string | null; readonly since: string }
}

describe.sequential("agent state from hooks, end to end", () => {
  let sandbox: Sandbox
  const activityOf = async (name: string, command: ReadonlyArray<string> = ["status", "--json"]) => {
    const result = await sandbox.ao(command)
    expect(result.exitCode, result.stderr).toBe(0)
    const found = (JSON.parse(result.stdout) as ReadonlyArray<Listed>).find((session) => session.name === name)
    if (found === undefined) throw new Error(`${name} is not listed`)
    return found.activity
  }
  const becomes = (name: string, state: string) =>
    sandbox.waitFor(`${name} to show ${state}`, async () => (await activityOf(name)).state === state, 200)
  const type = async (name: string, line: string) => {
    await sandbox.tmux(["send-keys", "-t", `=${name}:`, "-l", line])
    await sandbox.tmux(["send-keys", "-t", `=${name}:`, "Enter"])
  }
  const paneShows = (name: string, text: string) => async () => (await sandbox.capturePane(name)).includes(text)

  beforeAll(async () => {
    sandbox = await createSandbox({
      projectId: "demo",
      config: (paths) => {
        const quote = (text: string) => JSON.stringify(text)
        const agent = (mode: string) => `[${quote(process.execPath)}, ${quote(join(paths.root, "stand-in-claude.mjs"))}, ${mode}]`
        return [
          "projects:",
          ...[
            ["demo", 3600],
            ["quick", 1]
          ].flatMap(([id, idleAfter]) => [
            `  ${id}:`,
            `    path: ${quote(paths.repo)}`,
            "    defaultBranch: main",
            `    sessionPrefix: ${id}`,
            "    agent: claude",
            "    tracker: none",
            `    idleAfter: ${idleAfter}`
          ]),
          "agents:",
          "  claude:",
          `    launch: ${agent("launch")}`,
          `    resume: ${agent("resume")}`,
          ""
        ].join("\n")
      }
    })
    await writeFile(join(sandbox.paths.root, "stand-in-claude.mjs"), STAND_IN_CLAUDE_SCRIPT)
  })
  afterAll(async () => {
    await sandbox.dispose()
  })

  it("spawn installs the hooks in the worktree, kept out of git, and the prompt turns the agent working", async () => {
    const spawned = await sandbox.ao(["spawn", "demo", "--prompt", "fix the login form"])
    expect(spawned.exitCode, spawned.stderr).toBe(0)
    await sandbox.waitFor("the first prompt's hooks", paneShows("demo-s1", "hook PreToolUse"), 200)
    const worktree = (await sandbox.worktrees())[0] ?? ""
    const settings = JSON.parse(await readFile(join(worktree, ".claude/settings.local.json"), "utf8"))
    expect(Object.keys(settings.hooks)).toEqual(
      expect.arrayContaining(["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Notification", "Stop", "SubagentStop", "SessionEnd"])
    )
    expect(await sandbox.git(["status", "--porcelain"], worktree)).toBe("")
    expect(await activityOf("demo-s1")).toMatchObject({ state: "working", source: "hook", detail: "Read" })
  })

  it("a permission prompt shows waiting with the tool, in ls, status --json and status --waiting", async () => {
    await type("demo-s1", "ask Bash")
    await becomes("demo-s1", "waiting")
    expect(await activityOf("demo-s1")).toMatchObject({ source: "hook", detail: "Claude needs your permission to use Bash" })
    expect(await activityOf("demo-s1", ["session", "ls", "--json"])).toMatchObject({ state: "waiting" })
    expect((await sandbox.ao(["session", "ls"])).stdout).toMatch(/demo-s1 .*\[waiting\]/)
    const waiting = await sandbox.ao(["status", "--waiting", "--json"])
    expect((JSON.parse(waiting.stdout) as ReadonlyArray<Listed>).map((session) => session.name)).toEqual(["demo-s1"])
  })

  it("the answer turns it working again, Stop idle, and a Notification after Stop does not make it waiting", async () => {
    await type("demo-s1", "yes")
    await becomes("demo-s1", "working")
    await type("demo-s1", "stop")
    await becomes("demo-s1", "idle")
    expect(await activityOf("demo-s1")).toMatchObject({ source: "hook" })
    await type("demo-s1", "nudge")
    await sandbox.waitFor("the late Notification's hook to run", async () => {
      const log = await readFile(join(sandbox.paths.aoHome, "activity", "demo-s1.jsonl"), "utf8")
      return log.trim().split("\n").at(-1)?.includes('"event":"Notification"') === true
    })
    expect(await activityOf("demo-s1")).toMatchObject({ state: "idle", source: "hook" })
    const waiting = await sandbox.ao(["status", "--waiting"])
    expect(waiting.stdout).toContain("No session is waiting for a person.")
  })

  it("ao send is confirmed by the agent's UserPromptSubmit hook, and turns it working", async () => {
    const sent = await sandbox.ao(["send", "demo-s1", "please add a test", "--json"])
    expect(sent.exitCode, sent.stderr).toBe(0)
    expect(JSON.parse(sent.stdout)).toEqual({ name: "demo-s1", confirmed: true, delivery: "confirmed", confirmedBy: "hook", enterPresses: 1 })
    const log = await readFile(join(sandbox.paths.aoHome, "activity", "demo-s1.jsonl"), "utf8")
    expect(log).toContain('"event":"UserPromptSubmit","submitted":true')
    await becomes("demo-s1", "working")
    await type("demo-s1", "stop")
    await becomes("demo-s1", "idle")
  })

  it("a lost Stop does not keep working forever: once quiet past idleAfter, the screen says idle", async () => {
    const spawned = await sandbox.ao(["spawn", "quick", "--prompt", "tidy up"])
    expect(spawned.exitCode, spawned.stderr).toBe(0)
    await sandbox.waitFor("the first prompt's hooks", paneShows("quick-s1", "hook PreToolUse"), 200)
    await type("quick-s1", "quiet")
    await becomes("quick-s1", "idle")
    expect(await activityOf("quick-s1")).toMatchObject({ source: "screen" })
    const log = await readFile(join(sandbox.paths.aoHome, "activity", "quick-s1.jsonl"), "utf8")
    expect(log.trim().split("\n").at(-1)).toContain('"state":"working"')
  })

  it("a session spawned through the HTTP API gets hooks that run this ao, and reports through them", async () => {
    const api = await startApiServer(sandbox)
    try {
      const spawned = await api.post("/api/sessions", { project: "quick", prompt: "from the api" })
      expect(spawned.status, JSON.stringify(spawned.body)).toBe(201)
      const name = (spawned.body as { readonly name: string }).name
      const worktree = (await sandbox.worktrees()).find((path) => path.endsWith(`/${name}`)) ?? ""
      const settings = await readFile(join(worktree, ".claude/settings.local.json"), "utf8")
      expect(settings).toContain(`${join("apps", "cli", "bin", "ao.js")} hook claude UserPromptSubmit`)
      await sandbox.waitFor("the API session's first hooks", paneShows(name, "hook PreToolUse"), 200)
      const log = await readFile(join(sandbox.paths.aoHome, "activity", `${name}.jsonl`), "utf8")
      // Written by `ao hook`, run by the agent from the settings the API wrote (the project's idleAfter of 1 s lets the screen decide soon after).
      expect(log).toContain('"event":"UserPromptSubmit","submitted":true')
    } finally {
      await api.stop()
    }
  })

  it("an agent killed by a signal shows exited, from the runtime", async () => {
    const pid = (await sandbox.tmux(["display-message", "-p", "-t", "=demo-s1:", "#{pane_pid}"])).trim()
    process.kill(Number(pid), "SIGKILL")
    await becomes("demo-s1", "exited")
    expect(await activityOf("demo-s1")).toMatchObject({ source: "runtime" })
  })
})
