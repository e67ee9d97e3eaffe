import { createSandbox, type GitHubEmulatorProcess, type Sandbox, sandboxConfig, startGitHubEmulatorProcess } from "@ao/e2e-harness"
import { rm } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * GitHub as a user meets it, with the loopback emulator: Linear-style ids on
 * a GitHub repository (PRs from the code host, no issue tracker asked), every
 * failure said on stderr and in --json, the PR cache's honesty (--refresh, a
 * cleaned session keeps its PR), and spawn going on when GitHub cannot answer.
 */

const REPO = "owner/demo"

interface Row {
  readonly name: string
  readonly status: string
  readonly pr: { readonly url: string; readonly state: string } | null
  readonly warnings: ReadonlyArray<{ readonly about: string; readonly reason: string }>
}

const rows = (stdout: string): ReadonlyArray<Row> => JSON.parse(stdout) as ReadonlyArray<Row>
const lines = (text: string): ReadonlyArray<string> => text.split("\n").filter((line) => line !== "")

describe.sequential("GitHub: a repository with Linear-style issue ids, and the failures a user must see", () => {
  let sandbox: Sandbox
  let github: GitHubEmulatorProcess

  /** The next `ls` must ask GitHub, as the first one after a while does. */
  const forgetCachedAnswers = () => rm(join(sandbox.paths.aoHome, "cache"), { recursive: true, force: true })

  beforeAll(async () => {
    github = await startGitHubEmulatorProcess()
    sandbox = await createSandbox({
      projectId: "demo",
      // Only `repo:` — the defaults must make PRs work with INT-style ids.
      config: sandboxConfig({ github: { repo: REPO, apiUrl: github.url, tracker: "default" } }),
      env: { GITHUB_TOKEN: github.token }
    })
    await github.addRepository(REPO)
  })
  afterAll(async () => {
    await sandbox.dispose()
    await github.stop()
  })

  it("spawns an INT-style id on a repository with only `repo:` set, asking no issue tracker", async () => {
    const spawned = await sandbox.ao(["spawn", "demo", "INT-1234"])
    expect(spawned.stderr).toBe("")
    expect(spawned.exitCode).toBe(0)
    expect(spawned.stdout).toContain("SESSION=demo-int-1234")
    expect(spawned.stdout).toContain("  Branch:   int-1234")
    const status = await sandbox.ao(["status"])
    expect(status.stderr).toBe("")
    // The id alone: not tracked on GitHub, so neither "open" nor "?".
    expect(lines(status.stdout).find((line) => line.startsWith("demo-int-1234"))).toMatch(/ - +INT-1234 +\d/)
  })

  it("shows the session's PR from the code host; --refresh shows a new one at once", async () => {
    expect((await sandbox.ao(["session", "ls"])).stdout).not.toContain("/pull/")
    const url = await github.setPullRequest(REPO, { number: 11, head: "int-1234", state: "open" })
    const refreshed = await sandbox.ao(["session", "ls", "--refresh"])
    expect(refreshed.stderr).toBe("")
    expect(lines(refreshed.stdout)).toContainEqual(expect.stringMatching(new RegExp(`^  demo-int-1234 .*\\[\\w+\\]  ${url}$`)))
    expect(rows((await sandbox.ao(["status", "--json"])).stdout)[0]).toMatchObject({ pr: { url, state: "open" }, warnings: [] })
  })

  it("with a bad token, ls and status exit 0 and say on stderr and in --json that GitHub could not be asked", async () => {
    await github.fail({ kind: "unauthorized" })
    try {
      await forgetCachedAnswers()
      const ls = await sandbox.ao(["session", "ls"])
      expect(ls.exitCode).toBe(0)
      expect(lines(ls.stderr)).toEqual([
        "Warning: could not look up the PR of demo-int-1234: GitHub rejected the token (401 Bad credentials); check GITHUB_TOKEN or GH_TOKEN, or run: gh auth login"
      ])
      const status = await sandbox.ao(["status", "--json"])
      expect(status.exitCode).toBe(0)
      expect(rows(status.stdout)[0]?.warnings).toEqual([{ about: "pr", reason: expect.stringContaining("401 Bad credentials") }])
      expect(lines(status.stderr).map((line) => JSON.parse(line) as unknown)).toEqual([
        { warning: expect.objectContaining({ about: "pr", project: "demo", sessions: ["demo-int-1234"] }) }
      ])
    } finally {
      await github.fail(null)
    }
  })

  it("with GitHub answering 502, spawn goes on without the issue's title and says why; ls says so too", async () => {
    await github.setIssue(REPO, { number: 7, title: "Fix the flaky test" })
    await github.fail({ kind: "server-error", status: 502 })
    try {
      const spawned = await sandbox.ao(["spawn", "demo", "7"])
      expect(spawned.exitCode).toBe(0)
      expect(spawned.stdout).toContain("SESSION=demo-7")
      expect(spawned.stdout).toContain("  Branch:   7\n")
      expect(lines(spawned.stderr)).toEqual([
        "Warning: could not look up the issue of demo-7: GitHub returned 502 after 3 attempts; spawned without its title"
      ])
      expect(await sandbox.tmuxSessions()).toContain("demo-7")

      await forgetCachedAnswers()
      const ls = await sandbox.ao(["session", "ls", "--json"])
      expect(ls.exitCode).toBe(0)
      expect(rows(ls.stdout).map((row) => [row.name, row.warnings.map((warning) => warning.reason)])).toEqual([
        ["demo-7", ["GitHub returned 502 after 3 attempts"]],
        ["demo-int-1234", ["GitHub returned 502 after 3 attempts"]]
      ])
      expect(lines(ls.stderr)).toHaveLength(1)
    } finally {
      await github.fail(null)
    }
  })

  it("a PR merged and cleaned up keeps its URL on the archived record (ls --all)", async () => {
    const url = await github.setPullRequest(REPO, { number: 11, head: "int-1234", state: "merged" })
    const cleanup = await sandbox.ao(["session", "cleanup"])
    expect(cleanup.stderr).toBe("")
    expect(cleanup.stdout).toContain("  Cleaned: demo-int-1234 (PR merged)")
    const all = await sandbox.ao(["session", "ls", "--all"])
    expect(lines(all.stdout)).toContainEqual(expect.stringMatching(new RegExp(`^  demo-int-1234 .*\\[done\\]  ${url}$`)))
    expect(rows((await sandbox.ao(["session", "ls", "--all", "--json"])).stdout).find((row) => row.name === "demo-int-1234")).toMatchObject({
      status: "done",
      pr: { url, state: "merged" }
    })
  })
})

describe.sequential("GitHub: a private or mistyped repository without a token", () => {
  let sandbox: Sandbox
  let github: GitHubEmulatorProcess

  beforeAll(async () => {
    github = await startGitHubEmulatorProcess()
    await github.addRepository("owner/secret", { private: true })
    // No GITHUB_TOKEN: public repositories are read over REST, private ones are invisible.
    sandbox = await createSandbox({
      projectId: "demo",
      config: sandboxConfig({ github: { repo: "owner/secret", apiUrl: github.url } })
    })
  })
  afterAll(async () => {
    await sandbox.dispose()
    await github.stop()
  })

  it("cleanup --dry-run keeps the session, says why, and warns on stderr instead of a silent '0 sessions'", async () => {
    const spawned = await sandbox.ao(["spawn", "demo", "5"])
    expect(spawned.exitCode).toBe(0)
    expect(spawned.stderr).toContain("Warning: could not look up the issue of demo-5: GitHub repository owner/secret not found, or it is private")

    const dryRun = await sandbox.ao(["session", "cleanup", "--dry-run"])
    expect(dryRun.exitCode).toBe(0)
    expect(lines(dryRun.stdout)).toContainEqual(expect.stringMatching(/^  Kept demo-5 \(could not check: PR: GitHub repository owner\/secret not found/))
    expect(lines(dryRun.stdout).at(-1)).toBe("Dry run complete. 0 sessions would be cleaned.")
    const reason =
      "GitHub repository owner/secret not found, or it is private and no GitHub token was found; " +
      "check the repo in the config, or set GITHUB_TOKEN or GH_TOKEN, or run: gh auth login"
    expect(lines(dryRun.stderr)).toEqual([
      `Warning: could not look up the PR of demo-5: ${reason}`,
      `Warning: could not look up the issue of demo-5: ${reason}`
    ])

    const json = await sandbox.ao(["session", "cleanup", "--dry-run", "--json"])
    expect(json.exitCode).toBe(0)
    expect((JSON.parse(json.stdout) as { warnings: ReadonlyArray<unknown> }).warnings).toEqual([
      expect.objectContaining({ about: "pr", project: "demo", sessions: ["demo-5"], reason }),
      expect.objectContaining({ about: "issue", project: "demo", sessions: ["demo-5"], reason })
    ])
  })
})
