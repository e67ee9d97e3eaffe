import { createSandbox, type Sandbox, sandboxConfig } from "@ao/e2e-harness"
import { existsSync } from "node:fs"
import { mkdir, readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * Issue 10 on the built `ao`, real git and tmux: a kill saves everything the
 * worktree holds, even when run from inside it, refuses what it cannot save
 * unless forced, and restore --recreate brings the state back exactly.
 */
describe.sequential("ao loses nothing", () => {
  let sandbox: Sandbox
  const workspaceOf = async (name: string): Promise<string> => {
    const result = await sandbox.ao(["session", "ls", "--all", "--json"])
    const found = (JSON.parse(result.stdout) as ReadonlyArray<{ name: string; workspacePath: string; status: string }>).find(
      (session) => session.name === name
    )
    if (found === undefined) throw new Error(`${name} is not listed`)
    return found.workspacePath
  }
  const statusOf = async (name: string): Promise<string> => {
    const result = await sandbox.ao(["session", "ls", "--all", "--json"])
    return (JSON.parse(result.stdout) as ReadonlyArray<{ name: string; status: string }>).find((session) => session.name === name)?.status ?? ""
  }

  beforeAll(async () => {
    sandbox = await createSandbox({
      projectId: "safe",
      config: (paths) => `${sandboxConfig()(paths)}snapshot:\n  maxFileBytes: 1000\n`
    })
  })
  afterAll(async () => {
    await sandbox.dispose()
  })

  it("kill run from inside the worktree saves ignored files and the index, and restore --recreate brings them back (items 1, 4, 9)", async () => {
    expect((await sandbox.ao(["spawn", "safe", "--prompt", "work"])).exitCode).toBe(0)
    const workspace = await workspaceOf("safe-s1")
    await writeFile(join(workspace, ".gitignore"), ".env\n")
    await writeFile(join(workspace, ".env"), "SECRET=kept\n")
    await writeFile(join(workspace, "README.md"), "v1 staged\n")
    await sandbox.git(["add", "README.md"], workspace)
    await writeFile(join(workspace, "README.md"), "v2 working\n")

    const killed = await sandbox.ao(["session", "kill", "safe-s1"], { cwd: workspace })
    expect(killed.stderr).toBe("")
    expect(killed.exitCode).toBe(0)
    const lines = killed.stdout.trimEnd().split("\n")
    expect(lines[0]).toBe("Session safe-s1 killed.")
    expect(lines).toContain("  Get it back: ao session restore safe-s1 --recreate")
    expect(existsSync(workspace)).toBe(false)
    expect(await statusOf("safe-s1")).toBe("killed")
    // Ignored files are not in git, so no push can carry them.
    const [ref] = await sandbox.refs("refs/ao/snapshots/safe-s1/")
    expect(await sandbox.git(["ls-tree", "-r", "--name-only", ref ?? ""])).not.toContain(".env")

    const restored = await sandbox.ao(["session", "restore", "safe-s1", "--recreate"])
    expect(restored.stderr).toBe("")
    expect(restored.exitCode).toBe(0)
    expect(await readFile(join(workspace, ".env"), "utf8")).toBe("SECRET=kept\n")
    expect(await readFile(join(workspace, "README.md"), "utf8")).toBe("v2 working\n")
    expect(await sandbox.git(["show", ":README.md"], workspace)).toBe("v1 staged")
  })

  it("kill names what it cannot save and changes nothing; --force removes it and says so", async () => {
    const workspace = await workspaceOf("safe-s1")
    await writeFile(join(workspace, ".gitignore"), ".env\nbig.bin\n")
    await writeFile(join(workspace, "big.bin"), "x".repeat(2000))
    const refused = await sandbox.ao(["session", "kill", "safe-s1"])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain("big.bin (2000 bytes, over snapshot.maxFileBytes 1000)")
    expect(refused.stderr).toContain("--force")
    expect(await sandbox.tmuxSessions()).toContain("safe-s1")
    expect(existsSync(join(workspace, "big.bin"))).toBe(true)
    expect(await statusOf("safe-s1")).not.toBe("killed")

    const forced = await sandbox.ao(["session", "kill", "safe-s1", "--force"])
    expect(forced.exitCode).toBe(0)
    expect(forced.stdout).toContain("Removed without saving (--force): big.bin (2000 bytes, over snapshot.maxFileBytes 1000)")
    expect(existsSync(workspace)).toBe(false)
  })

  it("kill refuses a record edited to point at the main working tree before the agent is touched (item 11)", async () => {
    expect((await sandbox.ao(["spawn", "safe", "--prompt", "more work"])).exitCode).toBe(0)
    const file = join(sandbox.paths.aoHome, "sessions")
    expect(existsSync(file)).toBe(true)
    const recordPath = join(file, "safe-s2.json")
    const record = JSON.parse(await readFile(recordPath, "utf8")) as Record<string, unknown>
    await writeFile(recordPath, JSON.stringify({ ...record, workspacePath: sandbox.paths.repo }))
    const refused = await sandbox.ao(["session", "kill", "safe-s2"])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain("refused")
    expect(await sandbox.tmuxSessions()).toContain("safe-s2")
    expect(existsSync(join(sandbox.paths.repo, "README.md"))).toBe(true)
  })

  it("a session lives on the tmux server it was spawned on: cleanup, ls and kill from another TMUX_TMPDIR find it there (item 8)", async () => {
    const spawned = await sandbox.ao(["spawn", "safe", "--prompt", "elsewhere", "--json"])
    expect(spawned.exitCode).toBe(0)
    const { name } = JSON.parse(spawned.stdout) as { name: string }
    const workspace = await workspaceOf(name)
    const otherServerDir = join(sandbox.paths.root, "tmux-b")
    await mkdir(otherServerDir, { recursive: true })
    const fromB = { env: { TMUX_TMPDIR: otherServerDir } }

    const cleanup = await sandbox.ao(["session", "cleanup"], fromB)
    expect(cleanup.exitCode).toBe(0)
    expect(cleanup.stdout).not.toContain(name)
    expect(await sandbox.tmuxSessions()).toContain(name)
    expect(existsSync(workspace)).toBe(true)

    const listed = await sandbox.ao(["session", "ls", "--json"], fromB)
    const view = (JSON.parse(listed.stdout) as ReadonlyArray<{ name: string; runtimeAlive: boolean; status: string }>).find(
      (session) => session.name === name
    )
    expect(view).toMatchObject({ runtimeAlive: true })
    expect(view?.status).not.toBe("killed")

    const killed = await sandbox.ao(["session", "kill", name], fromB)
    expect(killed.stderr).toBe("")
    expect(killed.exitCode).toBe(0)
    expect(await sandbox.tmuxSessions()).not.toContain(name)
    expect(existsSync(workspace)).toBe(false)
  })
})
