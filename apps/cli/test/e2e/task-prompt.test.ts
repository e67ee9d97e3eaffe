import { createSandbox, type GitHubEmulatorProcess, type Sandbox, startGitHubEmulatorProcess } from "@ao/e2e-harness"
import { existsSync } from "node:fs"
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * The task comes from the issue: spawn reads it from the GitHub emulator and
 * the agent (a stand-in that writes down the arguments it was started with)
 * receives it, hostile text included, and a 200 KB body through the task file.
 */

const REPO = "acme/demo"

/** Writes its argv (after the mode) to <root>/received/<session>.json, then waits like an agent. */
const RECORDING_AGENT = `
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
const [root, mode, ...prompt] = process.argv.slice(2)
mkdirSync(join(root, "received"), { recursive: true })
writeFileSync(join(root, "received", process.env.AO_SESSION + ".json"), JSON.stringify({ mode, prompt }))
console.log("recording agent started")
process.stdin.resume()
`

interface StatusRow {
  readonly name: string
  readonly task: { readonly issue: { readonly id: string; readonly title: string | null } | null; readonly template: string | null; readonly extra: string | null; readonly file: string | null } | null
}

describe.sequential("spawn from an issue: the agent receives the issue", () => {
  let sandbox: Sandbox
  let github: GitHubEmulatorProcess

  const received = async (session: string): Promise<ReadonlyArray<string>> => {
    const file = join(sandbox.paths.root, "received", `${session}.json`)
    await sandbox.waitFor(`${session}'s agent to start`, async () => existsSync(file), 200)
    return (JSON.parse(await readFile(file, "utf8")) as { prompt: ReadonlyArray<string> }).prompt
  }
  const taskOf = async (session: string) => {
    const status = await sandbox.ao(["status", "--json"])
    expect(status.exitCode, status.stderr).toBe(0)
    return (JSON.parse(status.stdout) as ReadonlyArray<StatusRow>).find((row) => row.name === session)?.task
  }

  beforeAll(async () => {
    github = await startGitHubEmulatorProcess()
    sandbox = await createSandbox({
      projectId: "demo",
      config: (paths) => {
        const quote = (text: string) => JSON.stringify(text)
        const agent = (mode: string) => `[${quote(process.execPath)}, ${quote(join(paths.root, "recording-agent.mjs"))}, ${quote(paths.root)}, ${mode}]`
        return [
          "projects:",
          "  demo:",
          `    path: ${quote(paths.repo)}`,
          "    defaultBranch: main",
          "    sessionPrefix: demo",
          `    repo: ${REPO}`,
          "    agent: recorder",
          "agents:",
          "  recorder:",
          `    launch: ${agent("launch")}`,
          `    resume: ${agent("resume")}`,
          "github:",
          `  apiUrl: ${quote(github.url)}`,
          ""
        ].join("\n")
      },
      env: { GITHUB_TOKEN: github.token }
    })
    await writeFile(join(sandbox.paths.root, "recording-agent.mjs"), RECORDING_AGENT)
    await github.addRepository(REPO)
  })
  afterAll(async () => {
    await sandbox?.dispose()
    await github?.stop()
  })

  it("the prompt holds the issue's title, body, labels and latest comments, hostile text as written, and --prompt after", async () => {
    const pwned = join(sandbox.paths.root, "pwned")
    const body = [
      "The login form submits twice.",
      `Try: $(touch ${pwned}) and \`touch ${pwned}\`; '"; touch ${pwned}; echo "`,
      "tmux keys: C-c Enter \\; kill-server",
      "{{branch}} stays literal"
    ].join("\n")
    await github.setIssue(REPO, {
      number: 7,
      title: "Fix the login form; $(touch pwned)",
      body,
      labels: ["bug", "ui"],
      comments: [{ author: "ana", body: "Happens on Safari too.", createdAt: "2026-01-02T03:04:05Z" }]
    })
    const spawned = await sandbox.ao(["spawn", "demo", "7", "--prompt", "Keep the diff small."])
    expect(spawned.exitCode, spawned.stderr).toBe(0)
    const [prompt = "", ...rest] = await received("demo-7")
    expect(rest).toEqual([])
    expect(prompt).toContain("Your task is issue 7: Fix the login form; $(touch pwned)")
    expect(prompt).toContain(body)
    expect(prompt).toContain("Labels: bug, ui")
    expect(prompt).toContain("ana (2026-01-02T03:04:05Z): Happens on Safari too.")
    expect(prompt).toContain(`references issue 7 (`)
    expect(prompt.endsWith("\n\nKeep the diff small.")).toBe(true)
    expect(existsSync(pwned)).toBe(false)
    expect(await sandbox.tmuxSessions()).toContain("demo-7")
    expect(await taskOf("demo-7")).toEqual({
      issue: { id: "7", title: "Fix the login form; $(touch pwned)", url: expect.stringContaining(`${REPO}/issues/7`) },
      template: "default",
      extra: "Keep the diff small.",
      file: null
    })
  })

  it("a 200 KB issue body goes whole into .ao-task.md, kept out of git, and the agent is told to read it", async () => {
    const body = `${"A line of a very long bug report.\n".repeat(6_000)}THE END`
    expect(body.length).toBeGreaterThan(200_000)
    await github.setIssue(REPO, { number: 8, title: "Huge report", body })
    const spawned = await sandbox.ao(["spawn", "demo", "8"])
    expect(spawned.exitCode, spawned.stderr).toBe(0)
    const [argument = ""] = await received("demo-8")
    expect(argument).toContain(".ao-task.md")
    expect(argument.length).toBeLessThan(1000)
    const worktree = (await sandbox.worktrees()).find((path) => path.endsWith("demo-8")) ?? ""
    const task = await readFile(join(worktree, ".ao-task.md"), "utf8")
    expect(task).toContain("Your task is issue 8: Huge report")
    expect(task).toContain(body)
    expect(await sandbox.git(["status", "--porcelain"], worktree)).toBe("")
    expect((await taskOf("demo-8"))?.file).toBe(".ao-task.md")
  })

  it("--no-issue-prompt starts the agent without the issue's text", async () => {
    await github.setIssue(REPO, { number: 9, title: "Quiet", body: "do not show this" })
    const spawned = await sandbox.ao(["spawn", "demo", "9", "--no-issue-prompt", "--prompt", "just this"])
    expect(spawned.exitCode, spawned.stderr).toBe(0)
    expect(await received("demo-9")).toEqual(["just this"])
    expect(await taskOf("demo-9")).toEqual({ issue: null, template: null, extra: "just this", file: null })
  })
})
