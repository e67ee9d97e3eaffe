import { createSandbox } from "@ao/e2e-harness"
import { execa } from "execa"
import { existsSync } from "node:fs"
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { sweptByNextWrite } from "../../src/reliability/crash-injection"
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

  it("a crashed writer's temporary is collected, not passed over, and the store's next write removes it; an unnamed or running writer's is a violation at once", async () => {
    const sandbox = await createSandbox({ projectId: "demo" })
    try {
      const layout = sandboxLayout(sandbox)
      // A pid that ran and has exited: the writer a SIGKILL ended between its write and its rename.
      const exited = execa("true")
      const dead = exited.pid
      await exited
      await mkdir(layout.locks, { recursive: true })
      const crashed = join(layout.locks, `.${dead}-5e1f0a.tmp`)
      const running = join(layout.locks, `.${process.pid}-5e1f0b.tmp`)
      await writeFile(crashed, "{")
      await writeFile(running, "{")

      const strict = (await checkInvariants(sandbox)).map((violation) => `${violation.invariant}: ${violation.detail}`)
      expect(new Set(strict)).toEqual(new Set([`no temporary file outlives its writer: ${crashed}`, `no temporary file outlives its writer: ${running}`]))
      const crashedWriters = new Set<string>()
      const lenient = (await checkInvariants(sandbox, { crashedWriters })).map((violation) => `${violation.invariant}: ${violation.detail}`)
      expect({ lenient, collected: [...crashedWriters] }).toEqual({ lenient: [`no temporary file outlives its writer: ${running}`], collected: [crashed] })

      expect(await sweptByNextWrite(sandbox, crashedWriters)).toEqual([])
      expect({ crashed: existsSync(crashed), running: existsSync(running) }).toEqual({ crashed: false, running: true })
    } finally {
      await sandbox.dispose()
    }
  }, 300_000)
})
