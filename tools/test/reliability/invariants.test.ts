import { createSandbox } from "@ao/e2e-harness"
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { checkInvariants, sandboxLayout } from "../../src/reliability/invariants"

describe("reliability: the invariants see what a crash can leave", () => {
  it("a leaked branch, a lock whose pid now belongs to another process, a temporary file, a worktree on another branch and a tmux session started elsewhere each fail", async () => {
    const sandbox = await createSandbox({ projectId: "demo" })
    try {
      const spawned = await sandbox.ao(["spawn", "demo"])
      expect(spawned.exitCode).toBe(0)
      const [session] = JSON.parse((await sandbox.ao(["session", "ls", "--json"])).stdout) as ReadonlyArray<{
        readonly name: string
        readonly workspacePath: string
      }>
      if (session === undefined) throw new Error("spawn listed no session")
      expect(await checkInvariants(sandbox)).toEqual([])

      const layout = sandboxLayout(sandbox)
      // A crashed spawn's branch, with no record.
      await sandbox.git(["branch", "ao/demo-s9", "main"])
      // This process's pid with a start time it never had: the holder died and its pid was reused.
      await mkdir(layout.locks, { recursive: true })
      const holder = { pid: process.pid, startTicks: "0", acquiredAt: "2026-01-01T00:00:00Z", nonce: "recycled" }
      await writeFile(join(layout.locks, `${session.name}.lock`), JSON.stringify(holder))
      // A writer's temporary file, left by a crash.
      await writeFile(join(layout.active, ".4f2a9c.tmp"), "{")
      // The worktree moved to another branch, the tmux session replaced by one started elsewhere.
      await sandbox.git(["switch", "--quiet", "-c", "elsewhere"], session.workspacePath)
      await sandbox.tmux(["kill-session", "-t", `=${session.name}`])
      await sandbox.tmux(["new-session", "-d", "-s", session.name, "-c", sandbox.paths.root, "sleep", "600"])

      const found = (await checkInvariants(sandbox)).map((violation) => `${violation.invariant}: ${violation.detail}`)
      const expected = [
        "every branch ao made belongs to a recorded session: refs/heads/ao/demo-s9",
        `no lock outlives its holder: ${session.name}.lock`,
        `no temporary file outlives its writer: ${join(layout.active, ".4f2a9c.tmp")}`,
        `every live worktree is on its recorded branch: ${session.name}: elsewhere, recorded ao/${session.name}`,
        `every tmux session of ours starts in its recorded worktree: ${session.name}: ${sandbox.paths.root}, recorded ${session.workspacePath}`
      ]
      expect(expected.filter((violation) => !found.includes(violation))).toEqual([])
    } finally {
      await sandbox.dispose()
    }
  }, 300_000)
})
