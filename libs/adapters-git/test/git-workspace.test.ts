import { workspaceContract } from "@ao/adapters-memory/contracts/workspace"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { listWorktrees } from "../src/worktree-list"
import { git, isolateGitFromUser, makeGitFixture, tempDirectory, withoutPath } from "./git-fixture"

isolateGitFromUser()

workspaceContract("git", makeGitFixture)

describe("GitWorkspace, as plain git sees it", () => {
  /** A worktree for session ao-1 with tracked.txt committed. */
  const withWorktree = Effect.gen(function* () {
    const fixture = yield* makeGitFixture
    const spec = { repoPath: fixture.repoPath, path: fixture.pathFor("ao-1"), branch: "ao/ao-1", baseBranch: "main" }
    yield* fixture.workspace.create(spec)
    yield* fixture.writeFile(spec.path, "tracked.txt", "committed\n")
    yield* fixture.commitAll(spec.path)
    return { fixture, spec, target: { path: spec.path, sessionId: "ao-1", repoPath: fixture.repoPath } }
  })

  it.scoped("saves the snapshot as a commit on HEAD that plain git can read", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      yield* fixture.writeFile(spec.path, "tracked.txt", "changed\n")
      yield* fixture.writeFile(spec.path, "new file.txt", "untracked\n")
      const head = yield* git("-C", spec.path, "rev-parse", "HEAD")
      const { snapshotRef } = yield* fixture.workspace.remove(target)
      const ref = Option.getOrThrow(snapshotRef)
      expect(yield* git("-C", fixture.repoPath, "show", `${ref}:tracked.txt`)).toBe("changed")
      expect(yield* git("-C", fixture.repoPath, "show", `${ref}:new file.txt`)).toBe("untracked")
      expect(yield* git("-C", fixture.repoPath, "rev-parse", `${ref}^`)).toBe(head)
      // The branch is the user's work: removal never deletes it.
      expect(yield* git("-C", fixture.repoPath, "rev-parse", "refs/heads/ao/ao-1")).toBe(head)
    }))

  it.scoped("leaves the user's index and stash exactly as they were", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      yield* fixture.writeFile(spec.path, "tracked.txt", "stashed\n")
      yield* git("-C", spec.path, "stash", "--quiet")
      yield* fixture.writeFile(spec.path, "tracked.txt", "staged\n")
      yield* git("-C", spec.path, "add", "tracked.txt")
      yield* fixture.writeFile(spec.path, "tracked.txt", "staged, then changed again\n")
      yield* fixture.writeFile(spec.path, "untracked.txt", "new\n")
      const indexFile = join(yield* git("-C", spec.path, "rev-parse", "--absolute-git-dir"), "index")
      const indexBefore = yield* Effect.promise(() => readFile(indexFile))
      const stashBefore = yield* git("-C", spec.path, "stash", "list", "--format=%H")

      const ref = Option.getOrThrow(yield* fixture.workspace.snapshot(target))

      expect(yield* Effect.promise(() => readFile(indexFile))).toEqual(indexBefore)
      expect(yield* git("-C", spec.path, "stash", "list", "--format=%H")).toBe(stashBefore)
      expect(yield* git("-C", spec.path, "diff", "--cached", "--name-only")).toBe("tracked.txt")
      // The snapshot holds the working files, not the staged version.
      expect(yield* git("-C", fixture.repoPath, "show", `${ref}:tracked.txt`)).toBe("staged, then changed again")
    }))

  it.scoped("keeps ignored files out of the snapshot's git objects", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      yield* fixture.writeFile(spec.path, ".gitignore", "*.log\nbuild/\n")
      yield* fixture.commitAll(spec.path)
      yield* fixture.writeFile(spec.path, "debug.log", "noise\n")
      yield* fixture.writeFile(spec.path, "build/out.js", "generated\n")
      yield* fixture.writeFile(spec.path, "work.txt", "kept\n")
      const ref = Option.getOrThrow(yield* fixture.workspace.snapshot(target))
      const files = (yield* git("-C", fixture.repoPath, "ls-tree", "-r", "--name-only", ref)).split("\n")
      expect(files).toEqual([".gitignore", "README.md", "tracked.txt", "work.txt"])
    }))

  it.scoped("leaves no stale worktree registration behind", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      const other = { ...spec, path: fixture.pathFor("ao-2"), branch: "ao/ao-2" }
      yield* fixture.workspace.create(other)
      expect((yield* listWorktrees(fixture.repoPath)).map((worktree) => worktree.branch)).toEqual(["main", "ao/ao-1", "ao/ao-2"])

      yield* fixture.workspace.remove(target)
      yield* fixture.deleteWorktree(other.path)
      expect((yield* listWorktrees(fixture.repoPath)).find((worktree) => worktree.branch === "ao/ao-2")?.prunable).toBe(true)
      expect((yield* fixture.workspace.remove({ path: other.path, sessionId: "ao-2" })).existed).toBe(false)
      // Without repoPath and with the worktree gone there is no .git file to follow; given it, the stale entry is pruned.
      yield* fixture.workspace.remove({ path: other.path, sessionId: "ao-2", repoPath: fixture.repoPath })
      expect(yield* listWorktrees(fixture.repoPath)).toEqual([
        expect.objectContaining({ branch: "main", prunable: false })
      ])
    }))

  it.scoped("reads the branch without starting git", () =>
    Effect.gen(function* () {
      const { fixture, spec } = yield* withWorktree
      yield* withoutPath
      expect(yield* fixture.workspace.currentBranch(spec.path)).toEqual({ _tag: "OnBranch", branch: "ao/ao-1" })
      expect(yield* fixture.workspace.exists(spec.path)).toBe(true)
      // The proof that PATH is really empty: anything that needs git now fails.
      const error = yield* Effect.flip(fixture.workspace.state(spec.path))
      expect(error.detail).toBe("git is not installed or not on PATH")
    }))

  it.scoped("counts commits not yet on the upstream", () =>
    Effect.gen(function* () {
      const { fixture, spec } = yield* withWorktree
      const remote = join(yield* tempDirectory("ao-git-remote-"), "remote.git")
      yield* git("init", "--quiet", "--bare", remote)
      yield* git("-C", fixture.repoPath, "remote", "add", "origin", remote)
      yield* git("-C", spec.path, "push", "--quiet", "--set-upstream", "origin", "ao/ao-1")
      expect((yield* fixture.workspace.state(spec.path)).unpushed).toBe(0)
      yield* fixture.writeFile(spec.path, "a.txt", "a\n")
      yield* fixture.commitAll(spec.path)
      yield* fixture.writeFile(spec.path, "b.txt", "b\n")
      yield* fixture.commitAll(spec.path)
      expect(yield* fixture.workspace.state(spec.path)).toMatchObject({ unpushed: 2, changed: 0, untracked: 0 })
    }))

  it.scoped("says why a snapshot failed", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      yield* fixture.writeFile(spec.path, "work.txt", "unsaved\n")
      yield* fixture.breakSnapshots
      const error = yield* Effect.flip(fixture.workspace.remove(target))
      expect(error._tag).toBe("SnapshotFailed")
      expect(error.message).toContain(`Refusing to remove ${spec.path}`)
      expect(error.message).toMatch(
        /git -C \S+ update-ref refs\/ao\/snapshots\/ao-1\/\d{8}T\d{9}Z [0-9a-f]{40} "" exited 128: .*'refs\/ao\/snapshots' exists/
      )
    }))

  it.scoped("refuses to recreate from a branch that is gone or a snapshot that does not exist", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      yield* fixture.writeFile(spec.path, "work.txt", "unsaved\n")
      yield* fixture.workspace.remove(target)
      // A prefix of a real snapshot ref names no snapshot.
      const prefix = yield* Effect.flip(fixture.workspace.recreate({ ...spec, snapshotRef: Option.some("refs/ao/snapshots/ao-1") }))
      expect(prefix.detail).toBe(`snapshot refs/ao/snapshots/ao-1 does not exist in ${fixture.repoPath}`)
      const noSnapshot = yield* Effect.flip(
        fixture.workspace.recreate({ ...spec, snapshotRef: Option.some("refs/ao/snapshots/ao-1/20260101T000000000Z") })
      )
      expect(noSnapshot.detail).toBe(`snapshot refs/ao/snapshots/ao-1/20260101T000000000Z does not exist in ${fixture.repoPath}`)
      yield* git("-C", fixture.repoPath, "branch", "--quiet", "-D", "ao/ao-1")
      const noBranch = yield* Effect.flip(fixture.workspace.recreate({ ...spec, snapshotRef: Option.none() }))
      expect(noBranch.detail).toBe(`branch ao/ao-1 no longer exists in ${fixture.repoPath}`)
      expect(yield* fixture.workspace.exists(spec.path)).toBe(false)
    }))
})
