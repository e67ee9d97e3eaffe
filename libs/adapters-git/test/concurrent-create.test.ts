import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { git, isolateGitFromUser, makeGitFixture } from "./git-fixture"

isolateGitFromUser()

/**
 * Found by the reliability suite (tools/src/reliability): of 40 `ao spawn` at
 * once, one failed because another process's `git worktree prune` removed the
 * half-made registration of its `git worktree add`.
 */
describe("GitWorkspace under concurrent use", () => {
  it.scopedLive("creates 16 worktrees at once while git prunes all the while", () =>
    Effect.gen(function* () {
      const fixture = yield* makeGitFixture
      const names = Array.from({ length: 16 }, (_, i) => `ao-${i + 1}`)
      const creates = Effect.forEach(
        names,
        (name) => fixture.workspace.create({ repoPath: fixture.repoPath, path: fixture.pathFor(name), branch: `ao/${name}`, baseBranch: "main" }),
        { concurrency: "unbounded" }
      )
      const prunes = Effect.forEach(names, () => git("-C", fixture.repoPath, "worktree", "prune"), { concurrency: 4, discard: true })
      const [created] = yield* Effect.all([creates, prunes], { concurrency: 2 })
      expect(created).toHaveLength(16)
      for (const name of names) expect(yield* fixture.workspace.exists(fixture.pathFor(name))).toBe(true)
    })
  )
})
