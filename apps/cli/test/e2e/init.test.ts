import { createSandbox, type Sandbox } from "@ao/e2e-harness"
import { existsSync } from "node:fs"
import { mkdir, readFile, rm } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/** `ao init` in a repository without a config: writes one, refuses to overwrite it, and explains outside git. */
describe.sequential("ao init, end to end", () => {
  let sandbox: Sandbox

  beforeAll(async () => {
    sandbox = await createSandbox({ projectId: "my-app", config: null, configLocation: "repo" })
  })
  afterAll(async () => {
    await sandbox.dispose()
  })

  it("writes agent-orchestrator.yaml for the repository, with the id, prefix, branch and agent", async () => {
    const result = await sandbox.ao(["init", "--agent", "codex"])
    expect(result.stderr).toBe("")
    expect(result.exitCode).toBe(0)
    const path = join(sandbox.paths.repo, "agent-orchestrator.yaml")
    expect(result.stdout).toContain(path.replace(sandbox.paths.home, "~"))
    expect(result.stdout).toContain("  Tracker:        none (origin is not on GitHub)")
    const written = await readFile(path, "utf8")
    expect(written).toContain("my-app:")
    expect(written).toContain("defaultBranch: main")
    expect(written).toContain("codex")
    expect(written).toContain("# repo: owner/name")
    // Nothing turns lookups off behind the comment: uncommenting repo is all it takes.
    expect(written).not.toMatch(/^\s*(tracker|scm): none/m)
  })

  it("the written config works: ls reads it", async () => {
    const result = await sandbox.ao(["session", "ls"])
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain("No sessions.")
  })

  it("refuses to overwrite an existing config", async () => {
    const before = await readFile(join(sandbox.paths.repo, "agent-orchestrator.yaml"), "utf8")
    const result = await sandbox.ao(["init"])
    expect(result.exitCode).toBe(1)
    expect(result.stderr.split("\n")[0]).toMatch(/^Error: Config already exists: .*agent-orchestrator\.yaml$/)
    expect(await readFile(join(sandbox.paths.repo, "agent-orchestrator.yaml"), "utf8")).toBe(before)
  })

  it("fills in the GitHub repository and tracker when origin is on GitHub", async () => {
    const path = join(sandbox.paths.repo, "agent-orchestrator.yaml")
    await rm(path)
    // Only the URL is read: nothing is fetched from it.
    await sandbox.git(["remote", "set-url", "origin", "git@github.com:acme/my-app.git"])
    try {
      const result = await sandbox.ao(["init"])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain("  Tracker:        github (acme/my-app)")
      const written = (await readFile(path, "utf8")).split("\n")
      expect(written).toContain("    repo: acme/my-app")
      expect(written).toContain("    scm: github")
      expect(written).toContain("    tracker: github")
    } finally {
      await sandbox.git(["remote", "set-url", "origin", sandbox.paths.origin])
    }
  })

  it("refuses a repository with no commit yet, saying what to do, and writes nothing", async () => {
    const empty = join(sandbox.paths.root, "empty")
    await sandbox.git(["init", "--quiet", "-b", "main", empty], sandbox.paths.root)
    const result = await sandbox.ao(["init"], { cwd: empty })
    expect(result.exitCode).toBe(1)
    const [headline, ...rest] = result.stderr.split("\n")
    expect(headline).toBe(
      `Error: Invalid repository "${empty}": it has no commit yet, so sessions have no main branch to start from; commit something first (git commit --allow-empty -m "Initial commit"), then run this again`
    )
    expect(rest).toEqual([""])
    expect(result.stderr).not.toContain("fatal:")
    expect(existsSync(join(empty, "agent-orchestrator.yaml"))).toBe(false)
    const register = await sandbox.ao(["project", "add", empty])
    expect(register.exitCode).toBe(1)
    expect(register.stderr.split("\n")[0]).toBe(headline)
  })

  it("says so outside a git repository", async () => {
    const elsewhere = join(sandbox.paths.root, "not-a-repo")
    await mkdir(elsewhere)
    const result = await sandbox.ao(["init"], { cwd: elsewhere })
    expect(result.exitCode).toBe(1)
    expect(result.stderr.split("\n")[0]).toBe(`Error: Not a git repository: ${elsewhere}`)
    expect(existsSync(join(elsewhere, "agent-orchestrator.yaml"))).toBe(false)
  })
})
