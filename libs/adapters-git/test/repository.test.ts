import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { mkdir, realpath } from "node:fs/promises"
import { join } from "node:path"
import { detectRepository, listWorktrees } from "../src/index"
import { parseWorktreeList } from "../src/worktree-list"
import { git, isolateGitFromUser, makeGitFixture, tempDirectory, withoutPath } from "./git-fixture"

isolateGitFromUser()

describe("detectRepository", () => {
  it.scoped("finds the top of the repository from a subdirectory, with the checked-out branch as default", () =>
    Effect.gen(function* () {
      const { repoPath } = yield* makeGitFixture
      yield* git("-C", repoPath, "switch", "--quiet", "-c", "trunk")
      const subdirectory = join(repoPath, "src", "deep")
      yield* Effect.promise(() => mkdir(subdirectory, { recursive: true }))
      expect(yield* detectRepository(subdirectory)).toEqual({
        root: yield* Effect.promise(() => realpath(repoPath)),
        defaultBranch: "trunk",
        githubRepo: Option.none(),
        hasCommits: true
      })
    }))

  it.scoped("says when the repository has no commit yet", () =>
    Effect.gen(function* () {
      const empty = yield* tempDirectory("ao-empty-repo-")
      yield* git("init", "--quiet", "-b", "main", empty)
      expect(yield* detectRepository(empty)).toMatchObject({ defaultBranch: "main", hasCommits: false })
    }))

  it.scoped("takes the default branch from origin/HEAD when there is a remote", () =>
    Effect.gen(function* () {
      const { repoPath, root } = yield* makeGitFixture
      yield* git("-C", repoPath, "branch", "--quiet", "-m", "main", "production")
      const clone = join(root, "clone")
      yield* git("clone", "--quiet", repoPath, clone)
      yield* git("-C", clone, "switch", "--quiet", "-c", "feature")
      expect((yield* detectRepository(clone)).defaultBranch).toBe("production")
    }))

  it.scoped("names the GitHub repository origin points at, and nothing for another host", () =>
    Effect.gen(function* () {
      const { repoPath } = yield* makeGitFixture
      // Only the URL is read: nothing is fetched from it.
      yield* git("-C", repoPath, "remote", "add", "origin", "https://github.com/acme/shop-app.git")
      expect((yield* detectRepository(repoPath)).githubRepo).toEqual(Option.some("acme/shop-app"))
      yield* git("-C", repoPath, "remote", "set-url", "origin", "git@gitlab.com:acme/shop-app.git")
      expect((yield* detectRepository(repoPath)).githubRepo).toEqual(Option.none())
    }))

  it.scoped("falls back to main on a detached HEAD without a remote", () =>
    Effect.gen(function* () {
      const { repoPath } = yield* makeGitFixture
      yield* git("-C", repoPath, "switch", "--quiet", "--detach")
      expect((yield* detectRepository(repoPath)).defaultBranch).toBe("main")
    }))

  it.scoped("says when the directory is not in a git repository", () =>
    Effect.gen(function* () {
      const outside = yield* tempDirectory("ao-not-a-repo-")
      const error = yield* Effect.flip(detectRepository(outside))
      expect(error).toMatchObject({ _tag: "NotAGitRepository", path: outside })
    }))

  it.scoped("says when git is not installed", () =>
    Effect.gen(function* () {
      const { repoPath } = yield* makeGitFixture
      yield* withoutPath
      expect(yield* Effect.flip(detectRepository(repoPath))).toMatchObject({ _tag: "ToolMissing", tool: "git" })
      expect(yield* Effect.flip(listWorktrees(repoPath))).toMatchObject({ _tag: "ToolMissing", tool: "git" })
    }))
})

describe("listWorktrees", () => {
  it("reads every kind of entry of git worktree list --porcelain -z", () => {
    const output = [
      "worktree /srv/repo.git", "bare", "",
      "worktree /w/ao-1", "HEAD 1111111111111111111111111111111111111111", "branch refs/heads/ao/ao-1", "locked moving disks", "",
      "worktree /w/ao 2", "HEAD 2222222222222222222222222222222222222222", "detached", "prunable gitdir file points to non-existent location", "",
      ""
    ].join("\0")
    expect(parseWorktreeList(output)).toEqual([
      { path: "/srv/repo.git", head: null, branch: null, bare: true, locked: false, prunable: false },
      { path: "/w/ao-1", head: "1".repeat(40), branch: "ao/ao-1", bare: false, locked: true, prunable: false },
      { path: "/w/ao 2", head: "2".repeat(40), branch: null, bare: false, locked: false, prunable: true }
    ])
  })

  it.scoped("says when the path is not a repository", () =>
    Effect.gen(function* () {
      const outside = yield* tempDirectory("ao-not-a-repo-")
      expect(yield* Effect.flip(listWorktrees(outside))).toMatchObject({ _tag: "NotAGitRepository", path: outside })
    }))
})
