import { createSandbox, type GitHubEmulatorProcess, type Sandbox, sandboxConfig, startGitHubEmulatorProcess } from "@ao/e2e-harness"
import { existsSync } from "node:fs"
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * `ao session cleanup` against real tmux and git, with GitHub played by the
 * loopback emulator: each of the spec's three criteria, the dry run that
 * changes nothing, and what is left on disk afterwards.
 */

const REPO = "owner/demo"

interface Listed {
  readonly name: string
  readonly branch: string
  readonly status: string
  readonly workspacePath: string
}

describe.sequential("ao session cleanup, end to end", () => {
  let sandbox: Sandbox
  let github: GitHubEmulatorProcess
  const sessions = new Map<string, Listed>()

  const list = async (): Promise<ReadonlyArray<Listed>> =>
    JSON.parse((await sandbox.ao(["session", "ls", "--all", "--json"])).stdout) as ReadonlyArray<Listed>
  const spawn = async (issue: number): Promise<Listed> => {
    const result = await sandbox.ao(["spawn", "demo", String(issue)])
    expect(result.stderr).toBe("")
    const name = /^SESSION=(.+)$/m.exec(result.stdout)?.[1]
    const listed = (await list()).find((session) => session.name === name)
    if (listed === undefined) throw new Error(`spawn of issue ${issue} left no session: ${result.stdout}`)
    sessions.set(listed.name, listed)
    return listed
  }

  beforeAll(async () => {
    github = await startGitHubEmulatorProcess()
    sandbox = await createSandbox({
      projectId: "demo",
      config: sandboxConfig({ github: { repo: REPO, apiUrl: github.url } }),
      env: { GITHUB_TOKEN: github.token }
    })
    await github.setIssue(REPO, { number: 1, title: "Fix errors" })
    await github.setIssue(REPO, { number: 2, title: "Add tests" })
    await github.setIssue(REPO, { number: 3, title: "Refactor" })
    await github.setIssue(REPO, { number: 4, title: "Keep going" })
  })
  afterAll(async () => {
    await sandbox.dispose()
    await github.stop()
  })

  it("spawns sessions named after their issues, on branches from the issue titles", async () => {
    for (const issue of [1, 2, 3, 4]) await spawn(issue)
    expect([...sessions.keys()]).toEqual(["demo-1", "demo-2", "demo-3", "demo-4"])
    expect(sessions.get("demo-1")?.branch).toBe("1-fix-errors")
    expect([...(await sandbox.tmuxSessions())].sort()).toEqual(["demo-1", "demo-2", "demo-3", "demo-4"])
    const status = JSON.parse((await sandbox.ao(["status", "--json"])).stdout) as ReadonlyArray<{
      name: string
      issue: string | null
      issueInfo: { state: string } | null
    }>
    expect(status.find((row) => row.name === "demo-1")).toMatchObject({ issue: "1", issueInfo: { state: "open" } })
  })

  it("dry run names each completed session with the criterion that matched, and changes nothing", async () => {
    await github.setPullRequest(REPO, { number: 11, head: "1-fix-errors", state: "merged" })
    await github.setIssue(REPO, { number: 2, title: "Add tests", state: "closed" })
    await sandbox.tmux(["kill-session", "-t", "=demo-3"])
    await writeFile(join(sessions.get("demo-1")?.workspacePath ?? "", "unsaved.txt"), "not committed\n")

    const result = await sandbox.ao(["session", "cleanup", "--dry-run"])
    expect(result.stderr).toBe("")
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(
      [
        "Checking for completed sessions...",
        "",
        "  Would kill demo-1 (PR merged)",
        "  Would kill demo-2 (issue closed)",
        "  Would kill demo-3 (runtime dead)",
        "",
        "Dry run complete. 3 sessions would be cleaned.",
        ""
      ].join("\n")
    )
    expect((await sandbox.worktrees()).length).toBe(4)
    expect((await list()).map((session) => session.status).filter((status) => status === "killed" || status === "done")).toEqual([])
    expect(await sandbox.refs("refs/ao/snapshots/")).toEqual([])
  })

  it("--dry-run --json gives the plan with each session's reason", async () => {
    const result = await sandbox.ao(["session", "cleanup", "--dry-run", "--json"])
    expect(result.exitCode).toBe(0)
    const plan = JSON.parse(result.stdout) as { wouldClean: ReadonlyArray<{ name: string; criteria: ReadonlyArray<string> }> }
    expect(plan.wouldClean.map((entry) => [entry.name, entry.criteria])).toEqual([
      ["demo-1", ["pr-merged"]],
      ["demo-2", ["issue-closed"]],
      ["demo-3", ["runtime-dead"]]
    ])
  })

  it("cleanup removes them, snapshots uncommitted work first, and leaves the rest alone", async () => {
    const result = await sandbox.ao(["session", "cleanup"])
    expect(result.stderr).toBe("")
    expect(result.exitCode).toBe(0)
    const lines = result.stdout.trimEnd().split("\n")
    expect(lines.slice(0, 2)).toEqual(["Checking for completed sessions...", ""])
    expect(lines).toContain("  Cleaned: demo-1 (PR merged)")
    expect(lines).toContain("  Cleaned: demo-2 (issue closed)")
    expect(lines).toContain("  Cleaned: demo-3 (runtime dead)")
    expect(lines.at(-1)).toBe("Cleanup complete. 3 sessions cleaned.")

    const [ref] = await sandbox.refs("refs/ao/snapshots/demo-1/")
    expect(ref).toBeDefined()
    expect(result.stdout).toContain(`Uncommitted work saved to ${ref}`)
    expect(await sandbox.git(["show", `${ref}:unsaved.txt`])).toBe("not committed")

    for (const name of ["demo-1", "demo-2", "demo-3"]) {
      expect(existsSync(sessions.get(name)?.workspacePath ?? "")).toBe(false)
    }
    expect(await sandbox.worktrees()).toEqual([sessions.get("demo-4")?.workspacePath])
    expect(await sandbox.tmuxSessions()).toEqual(["demo-4"])
    const statuses = Object.fromEntries((await list()).map((session) => [session.name, session.status]))
    expect(statuses).toMatchObject({ "demo-1": "done", "demo-2": "done", "demo-3": "killed" })
    expect(["working", "idle"]).toContain(statuses["demo-4"])
  })

  it("a second run finds nothing left to clean", async () => {
    const result = await sandbox.ao(["session", "cleanup"])
    expect(result.exitCode).toBe(0)
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("Cleanup complete. 0 sessions cleaned.")
  })

  it("when GitHub cannot answer, the session is kept and the reason said, never cleaned", async () => {
    await github.fail({ kind: "unauthorized" })
    try {
      const result = await sandbox.ao(["session", "cleanup"])
      expect(result.exitCode).toBe(0)
      const lines = result.stdout.trimEnd().split("\n")
      expect(lines.find((line) => line.startsWith("  Kept demo-4 (could not check: "))).toBeDefined()
      expect(lines.at(-1)).toBe("Cleanup complete. 0 sessions cleaned.")
      expect(await sandbox.tmuxSessions()).toEqual(["demo-4"])
    } finally {
      await github.fail(null)
    }
  })

  it("--project filters, and an unknown project fails as the spec says", async () => {
    const result = await sandbox.ao(["session", "cleanup", "--project", "nope", "--dry-run"])
    expect(result.exitCode).toBe(1)
    expect(result.stderr.split("\n")[0]).toBe("Unknown project: nope")
  })
})
