import { createSandbox, type GitHubEmulatorProcess, type Sandbox, STAND_IN_CLAUDE_SCRIPT, startGitHubEmulatorProcess } from "@ao/e2e-harness"
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * One whole task, as a person running agents sees it: spawned from an issue
 * in the GitHub emulator, a stand-in that behaves like Claude Code toward its
 * hooks (it runs the commands ao wrote into its worktree's
 * .claude/settings.local.json, with Claude Code's hook JSON on stdin, and
 * writes a transcript) works, asks for a permission, gets `ao send yes`, and
 * ends its turn, every state read back through `ao status --json` and
 * `ao session ls`. The built `ao`, real tmux on a private server, real git.
 */

const REPO = "acme/demo"

interface Listed {
  readonly name: string
  readonly activity: { readonly state: string; readonly source: string; readonly detail: string | null; readonly since: string }
}

describe.sequential("a whole task, from the issue to the end of the agent's turn", () => {
  let sandbox: Sandbox
  let github: GitHubEmulatorProcess

  beforeAll(async () => {
    github = await startGitHubEmulatorProcess()
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
          `    repo: ${REPO}`,
          "    agent: claude",
          // Only the hooks decide here: the screen fallback never takes over during the test.
          "    idleAfter: 3600",
          "agents:",
          "  claude:",
          `    launch: ${agent("launch")}`,
          `    resume: ${agent("resume")}`,
          "github:",
          `  apiUrl: ${quote(github.url)}`,
          ""
        ].join("\n")
      },
      env: { GITHUB_TOKEN: github.token }
    })
    await writeFile(join(sandbox.paths.root, "stand-in-claude.mjs"), STAND_IN_CLAUDE_SCRIPT)
    await github.addRepository(REPO)
  })
  afterAll(async () => {
    await sandbox?.dispose()
    await github?.stop()
  })

  const SESSION = "demo-12"
  const activity = async () => {
    const status = await sandbox.ao(["status", "--json"])
    expect(status.exitCode, status.stderr).toBe(0)
    const found = (JSON.parse(status.stdout) as ReadonlyArray<Listed>).find((session) => session.name === SESSION)
    if (found === undefined) throw new Error(`${SESSION} is not in status --json: ${status.stdout}`)
    return found.activity
  }
  /** Polls `status --json` until the session shows `state` (returning its activity then), and checks `session ls` shows it too. */
  const becomes = async (state: string) => {
    let last: Listed["activity"] | undefined
    await sandbox.waitFor(`${SESSION} to show ${state}`, async () => (last = await activity()).state === state, 200)
    const listed = await sandbox.ao(["session", "ls"])
    expect(listed.exitCode, listed.stderr).toBe(0)
    expect(listed.stdout).toMatch(new RegExp(`${SESSION} .*\\[${state}\\]`))
    return last
  }
  const type = async (line: string) => {
    await sandbox.tmux(["send-keys", "-t", `=${SESSION}:`, "-l", line])
    await sandbox.tmux(["send-keys", "-t", `=${SESSION}:`, "Enter"])
  }
  const activityLog = async () =>
    (await readFile(join(sandbox.paths.aoHome, "activity", `${SESSION}.jsonl`), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { readonly event: string; readonly state: string; readonly transcript?: string })

  const body = ["The login form submits twice when Enter is pressed.", "Steps: open /login, type a password, press Enter twice."].join("\n")

  it("spawned from an issue in the GitHub emulator, the agent gets the issue in its prompt, and its hooks say it works", async () => {
    await github.setIssue(REPO, { number: 12, title: "Login form submits twice", body, labels: ["bug"] })
    const spawned = await sandbox.ao(["spawn", "demo", "12"])
    expect(spawned.exitCode, spawned.stderr).toBe(0)
    expect(await becomes("working")).toMatchObject({ source: "hook", detail: "Read" })
    // Claude Code writes the prompt it was started with into its transcript, which its hooks name.
    const transcript = (await activityLog()).find((line) => line.transcript !== undefined)?.transcript
    expect(transcript, "Claude Code's hooks name its transcript").toBeDefined()
    const firstEntry = JSON.parse((await readFile(transcript ?? "", "utf8")).split("\n")[0] ?? "") as { type: string; message: { content: string } }
    expect(firstEntry.type).toBe("user")
    expect(firstEntry.message.content).toContain("Your task is issue 12: Login form submits twice")
    expect(firstEntry.message.content).toContain(body)
  })

  it("a permission prompt: waiting, with what it asks", async () => {
    await type("ask Bash")
    expect(await becomes("waiting")).toMatchObject({ source: "hook", detail: "Claude needs your permission to use Bash" })
  })

  it("ao send yes answers it, confirmed by the agent's next report (no UserPromptSubmit for an answer, as with Claude Code): working again", async () => {
    const answered = await sandbox.ao(["send", SESSION, "yes", "--json"])
    expect(answered.exitCode, answered.stderr).toBe(0)
    expect(JSON.parse(answered.stdout)).toMatchObject({ name: SESSION, confirmed: true, delivery: "confirmed", confirmedBy: "hook" })
    expect(await becomes("working")).toMatchObject({ source: "hook" })
  })

  it("Stop ends the turn: idle, and nobody is waiting", async () => {
    await type("stop")
    expect(await becomes("idle")).toMatchObject({ source: "hook", detail: null })
    expect((await activityLog()).map((line) => line.event)).toEqual([
      "SessionStart",
      "UserPromptSubmit",
      "PreToolUse",
      "PreToolUse",
      "Notification",
      "PostToolUse",
      "Stop"
    ])
    const waiting = await sandbox.ao(["status", "--waiting"])
    expect(waiting.stdout).toContain("No session is waiting for a person.")
  })
})
