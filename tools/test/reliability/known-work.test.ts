import { createSandbox, seededRandom } from "@ao/e2e-harness"
import { rm } from "node:fs/promises"
import { describe, expect, it } from "vitest"
import { bytesLost, refsContaining, writeKnownWork } from "../../src/reliability/known-work"
import { spawnOne } from "../../src/reliability/work"

describe("reliability: the work inventory", () => {
  it("counts a commit no branch reaches: kept while its worktree's HEAD reaches it, lost when the worktree goes without ao, kept through refs/ao/ by ao session kill", async () => {
    const sandbox = await createSandbox({ projectId: "demo" })
    try {
      const random = seededRandom(18)
      const [bare, killed] = [await spawnOne(sandbox), await spawnOne(sandbox)]
      const work = await writeKnownWork(random, bare.name, bare.worktree)
      const detached = work.find((entry) => entry.kind === "unreachable")
      if (detached?.commit === undefined) throw new Error("no commit no branch reaches in the inventory")
      expect(new Set(work.map((entry) => entry.kind))).toEqual(new Set(["tracked", "staged", "untracked", "ignored", "nested", "unreachable"]))
      expect(await sandbox.git(["branch", "--contains", detached.commit])).toBe("")
      expect(await bytesLost(sandbox, work)).toBe(0)

      // Removed behind ao's back: every kind is lost, the detached commit too (its object is still there until git gc).
      await sandbox.tmux(["kill-session", "-t", `=${bare.name}`])
      await rm(bare.worktree, { recursive: true, force: true })
      await sandbox.git(["worktree", "prune"])
      expect(await sandbox.git(["cat-file", "-t", detached.commit])).toBe("commit")
      expect(await bytesLost(sandbox, work)).toBe(work.reduce((sum, entry) => sum + entry.bytes.length, 0))

      const kept = await writeKnownWork(random, killed.name, killed.worktree)
      const commit = kept.find((entry) => entry.kind === "unreachable")?.commit
      if (commit === undefined) throw new Error("no commit no branch reaches in the inventory")
      expect((await sandbox.ao(["session", "kill", killed.name])).exitCode).toBe(0)
      expect(await refsContaining(sandbox, commit)).toEqual([expect.stringMatching(new RegExp(`^refs/ao/snapshots/${killed.name}/`))])
      expect(await bytesLost(sandbox, kept)).toBe(0)
    } finally {
      await sandbox.dispose()
    }
  }, 600_000)
})
