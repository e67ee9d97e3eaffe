import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { execa } from "execa"
import { chmod, lstat, readFile, readlink, rm, stat, symlink, unlink, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { GitClient } from "../src/git-client"
import { makeGitWorkspace } from "../src/git-workspace"
import { gitlinksInIndex } from "../src/index-gitlinks"
import { git, isolateGitFromUser, makeGitFixture, workspaceCrashingInRemove } from "./git-fixture"

isolateGitFromUser()

const fs = <A>(run: () => Promise<A>) => Effect.promise(run)
const textOf = (path: string) => fs(() => readFile(path, "utf8"))
const exists = (path: string) => fs(() => lstat(path).then(() => true, () => false))

/** A worktree ao made for session ao-1, with `tracked.txt` and a `.gitignore` committed. */
const withWorktree = Effect.gen(function* () {
  const fixture = yield* makeGitFixture
  const spec = { repoPath: fixture.repoPath, path: fixture.pathFor("ao-1"), branch: "ao/ao-1", baseBranch: "main" }
  yield* fixture.workspace.create(spec)
  yield* fixture.writeFile(spec.path, "tracked.txt", "committed\n")
  yield* fixture.writeFile(spec.path, ".gitignore", ".env\n*.local\nbuild/\nnode_modules/\n")
  yield* fixture.commitAll(spec.path)
  const target = {
    path: spec.path,
    sessionId: "ao-1",
    repoPath: fixture.repoPath,
    branch: spec.branch,
    worktreeDir: join(fixture.root, "worktrees")
  }
  return { fixture, spec, target }
})

describe("GitWorkspace: nothing lost", () => {
  it.scoped("saves ignored files to a private store, never into git, and brings them back (issue 10 item 1)", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      yield* fixture.writeFile(spec.path, ".env", "SECRET=1\n")
      yield* fixture.writeFile(spec.path, "settings.local", "local\n")
      yield* fixture.writeFile(spec.path, "build/out/app.js", "generated\n")
      yield* fixture.writeFile(spec.path, "node_modules/dep/index.js", "regenerable\n")
      const removal = yield* fixture.workspace.remove(target)
      const ref = Option.getOrThrow(removal.snapshotRef)
      // Not in any git object: the snapshot's tree holds only what git would.
      const inGit = (yield* git("-C", fixture.repoPath, "ls-tree", "-r", "--name-only", ref)).split("\n")
      expect(inGit).not.toContain(".env")
      const store = join(fixture.savedDir, "ao-1")
      expect((yield* fs(() => stat(store))).mode & 0o777).toBe(0o700)
      expect(yield* fixture.workspace.recreate({ ...spec, snapshotRef: removal.snapshotRef })).toEqual({ snapshotApplied: true })
      expect(yield* textOf(join(spec.path, ".env"))).toBe("SECRET=1\n")
      expect(yield* textOf(join(spec.path, "settings.local"))).toBe("local\n")
      expect(yield* textOf(join(spec.path, "build/out/app.js"))).toBe("generated\n")
      // snapshot.skip: regenerable directories are not copied.
      expect(yield* fixture.readFile(spec.path, "node_modules/dep/index.js")).toEqual(Option.none())
    }))

  it.scoped("names a file too large to save and removes nothing unless forced", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      const small = yield* Effect.provide(
        makeGitWorkspace({ savedDir: fixture.savedDir, settings: { skip: [], maxFileBytes: 10 } }),
        GitClient.Default
      )
      yield* fixture.writeFile(spec.path, "build/big.bin", "more than ten bytes\n")
      const refused = yield* Effect.flip(small.vetRemoval(target))
      expect(refused._tag).toBe("SnapshotFailed")
      expect(refused.message).toContain("build/big.bin (20 bytes, over snapshot.maxFileBytes 10)")
      expect((yield* Effect.flip(small.remove(target)))._tag).toBe("SnapshotFailed")
      expect(yield* small.exists(spec.path)).toBe(true)
      const forced = yield* small.remove({ ...target, force: true })
      expect(forced.notSaved).toEqual(["build/big.bin (20 bytes, over snapshot.maxFileBytes 10)"])
      expect(yield* small.exists(spec.path)).toBe(false)
    }))

  it.scoped("keeps the index as staged: staged v1 and working v2 both come back (item 4)", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      yield* fixture.writeFile(spec.path, "tracked.txt", "v1 staged\n")
      yield* git("-C", spec.path, "add", "tracked.txt")
      yield* fixture.writeFile(spec.path, "tracked.txt", "v2 in the working tree\n")
      yield* fixture.writeFile(spec.path, "new.txt", "staged new file\n")
      yield* git("-C", spec.path, "add", "new.txt")
      const removal = yield* fixture.workspace.remove(target)
      yield* fixture.workspace.recreate({ ...spec, snapshotRef: removal.snapshotRef })
      expect(yield* git("-C", spec.path, "show", ":tracked.txt")).toBe("v1 staged")
      expect(yield* textOf(join(spec.path, "tracked.txt"))).toBe("v2 in the working tree\n")
      expect(yield* git("-C", spec.path, "status", "--porcelain")).toBe("A  new.txt\nMM tracked.txt")
    }))

  it.scoped("brings back modes and symlinks exactly, never following a link", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      yield* fixture.writeFile(spec.path, "run.sh", "#!/bin/sh\n")
      yield* fs(() => chmod(join(spec.path, "run.sh"), 0o755))
      yield* fs(() => symlink("/etc/hostname", join(spec.path, "link-untracked")))
      yield* fs(() => symlink("tracked.txt", join(spec.path, "build-link.local")))
      const removal = yield* fixture.workspace.remove(target)
      yield* fixture.workspace.recreate({ ...spec, snapshotRef: removal.snapshotRef })
      expect((yield* fs(() => stat(join(spec.path, "run.sh")))).mode & 0o777).toBe(0o755)
      expect(yield* fs(() => readlink(join(spec.path, "link-untracked")))).toBe("/etc/hostname")
      expect(yield* fs(() => readlink(join(spec.path, "build-link.local")))).toBe("tracked.txt")
    }))

  it.scoped("saves a nested repository and a submodule with their commits, changes and untracked files (item 2)", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      const sub = join(fixture.root, "sub")
      yield* git("init", "--quiet", "--initial-branch=main", sub)
      yield* fixture.writeFile(sub, "s.txt", "sub\n")
      yield* fixture.commitAll(sub)
      yield* git("-C", spec.path, "-c", "protocol.file.allow=always", "submodule", "add", "--quiet", sub, "modules/sub")
      yield* fixture.commitAll(spec.path)
      const subPath = join(spec.path, "modules/sub")
      yield* fixture.writeFile(subPath, "s.txt", "sub, committed only inside the worktree\n")
      yield* fixture.commitAll(subPath)
      const subHead = yield* git("-C", subPath, "rev-parse", "HEAD")
      yield* fixture.writeFile(subPath, "s-untracked.txt", "sub untracked\n")
      const nested = join(spec.path, "nested")
      yield* git("init", "--quiet", "--initial-branch=main", nested)
      yield* fixture.writeFile(nested, "inner.txt", "inner commit\n")
      yield* fixture.commitAll(nested)
      const innerHead = yield* git("-C", nested, "rev-parse", "HEAD")
      yield* fixture.writeFile(nested, "inner.txt", "inner change\n")
      yield* fixture.writeFile(nested, "inner-untracked.txt", "inner untracked\n")
      const removal = yield* fixture.workspace.remove(target)
      yield* fixture.workspace.recreate({ ...spec, snapshotRef: removal.snapshotRef })
      expect(yield* git("-C", nested, "rev-parse", "HEAD")).toBe(innerHead)
      expect(yield* textOf(join(nested, "inner.txt"))).toBe("inner change\n")
      expect(yield* textOf(join(nested, "inner-untracked.txt"))).toBe("inner untracked\n")
      expect(yield* git("-C", subPath, "rev-parse", "HEAD")).toBe(subHead)
      expect(yield* textOf(join(subPath, "s-untracked.txt"))).toBe("sub untracked\n")
    }))

  it.scoped("saves a nested repository that has no commit yet (git add refuses one)", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      const nested = join(spec.path, "fresh")
      yield* git("init", "--quiet", "--initial-branch=main", nested)
      yield* fixture.writeFile(nested, "draft.txt", "never committed\n")
      const removal = yield* fixture.workspace.remove(target)
      yield* fixture.workspace.recreate({ ...spec, snapshotRef: removal.snapshotRef })
      expect(yield* textOf(join(nested, "draft.txt"))).toBe("never committed\n")
    }))

  it.scoped("saves a nested repository committed as a bare gitlink with no .gitmodules entry (issue 10, bare gitlink)", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      const nested = join(spec.path, "vendored")
      yield* git("init", "--quiet", "--initial-branch=main", nested)
      yield* fixture.writeFile(nested, "lib.txt", "first\n")
      yield* fixture.commitAll(nested)
      // `git add` of a repository records a gitlink (mode 160000) and no .gitmodules entry.
      yield* git("-C", spec.path, "add", "vendored")
      yield* git("-C", spec.path, "commit", "--quiet", "-m", "vendor it")
      expect(yield* git("-C", spec.path, "ls-files", "--stage", "vendored")).toMatch(/^160000 /)
      expect(yield* fixture.readFile(spec.path, ".gitmodules")).toEqual(Option.none())
      const gitDir = (yield* git("-C", spec.path, "rev-parse", "--absolute-git-dir")).trim()
      expect(yield* gitlinksInIndex(gitDir)).toEqual(Option.some(["vendored"]))
      // Unchanged since: its only copy of that commit is inside the worktree.
      const innerHead = yield* git("-C", nested, "rev-parse", "HEAD")
      const removal = yield* fixture.workspace.remove(target)
      expect(yield* fixture.workspace.exists(spec.path)).toBe(false)
      yield* fixture.workspace.recreate({ ...spec, snapshotRef: removal.snapshotRef })
      expect(yield* git("-C", nested, "rev-parse", "HEAD")).toBe(innerHead)
      expect(yield* textOf(join(nested, "lib.txt"))).toBe("first\n")
    }))

  it.scoped("accepts a worktree made before ownership markers only where git and the record agree, and marks it (pre-marker worktrees)", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      const gitDir = (yield* git("-C", spec.path, "rev-parse", "--absolute-git-dir")).trim()
      yield* fs(() => unlink(join(gitDir, "ao-worktree")))
      // Another branch than the recorded one, or no recorded branch, is not enough.
      const otherBranch = yield* Effect.flip(fixture.workspace.vetRemoval({ ...target, branch: "ao/ao-9" }))
      expect(otherBranch.message).toContain("ao did not make it")
      const { branch: _branch, ...noBranch } = target
      expect((yield* Effect.flip(fixture.workspace.vetRemoval(noBranch))).message).toContain("ao did not make it")
      expect(yield* fs(() => lstat(join(gitDir, "ao-worktree")).then(() => true, () => false))).toBe(false)
      // Registered at exactly this path, on the recorded branch, inside worktreeDir: accepted and marked.
      yield* fixture.writeFile(spec.path, ".env", "SECRET=old\n")
      yield* fixture.workspace.vetRemoval(target)
      expect((yield* textOf(join(gitDir, "ao-worktree"))).trim()).toBe(spec.path)
      const removal = yield* fixture.workspace.remove(target)
      expect(removal.existed).toBe(true)
      yield* fixture.workspace.recreate({ ...spec, snapshotRef: removal.snapshotRef })
      expect(yield* textOf(join(spec.path, ".env"))).toBe("SECRET=old\n")
    }))

  it.scoped("refuses a recorded path that is a symlink, leaving its target alone (item 6)", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      const link = join(fixture.root, "worktrees", "ao-2")
      yield* fs(() => symlink(spec.path, link))
      const error = yield* Effect.flip(fixture.workspace.vetRemoval({ ...target, path: link, sessionId: "ao-2" }))
      expect(error.message).toContain("it is a symlink")
      yield* Effect.flip(fixture.workspace.remove({ ...target, path: link, sessionId: "ao-2" }))
      expect(yield* textOf(join(spec.path, "tracked.txt"))).toBe("committed\n")
    }))

  it.scoped("refuses a worktree a person made, the main working tree, a plain directory and a moved repository (items 7, 11)", () =>
    Effect.gen(function* () {
      const { fixture, target } = yield* withWorktree
      const personal = join(fixture.root, "worktrees", "by-hand")
      yield* git("-C", fixture.repoPath, "worktree", "add", "--quiet", "-b", "mine", personal)
      const byHand = yield* Effect.flip(fixture.workspace.remove({ ...target, path: personal, sessionId: "ao-3" }))
      expect(byHand.message).toContain("ao did not make it")
      expect(yield* textOf(join(personal, "README.md"))).toBe("# project\n")
      const main = yield* Effect.flip(fixture.workspace.remove({ ...target, path: fixture.repoPath, worktreeDir: fixture.root }))
      expect(main.message).toContain("main working tree")
      const home = join(fixture.root, "worktrees", "home")
      yield* fixture.writeFile(home, ".bashrc", "mine\n")
      expect((yield* Effect.flip(fixture.workspace.vetRemoval({ ...target, path: home }))).message).toContain("not a git worktree")
      const moved = yield* Effect.flip(fixture.workspace.vetRemoval({ ...target, repoPath: join(fixture.root, "moved") }))
      expect(moved.message).toContain("is not there any more")
      expect(yield* fixture.workspace.exists(target.path)).toBe(true)
    }))

  it.scoped("finishes a removal an older ao left interrupted midway, and the worktree can be recreated after (item 10)", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      yield* fixture.writeFile(spec.path, ".env", "SECRET=2\n")
      const snapshotRef = yield* fixture.workspace.snapshot(target)
      // What a crash inside `git worktree remove` leaves: the intent written, `.git` and some files gone.
      const gitDir = (yield* git("-C", spec.path, "rev-parse", "--absolute-git-dir")).trim()
      yield* fs(() => writeFile(join(gitDir, "ao-removing"), ""))
      yield* fs(() => unlink(join(spec.path, ".git")))
      yield* fs(() => rm(join(spec.path, "tracked.txt")))
      expect(yield* fixture.workspace.remove(target)).toMatchObject({ existed: true })
      expect(yield* fs(() => lstat(spec.path).then(() => true, () => false))).toBe(false)
      expect(yield* fixture.workspace.recreate({ ...spec, snapshotRef })).toEqual({ snapshotApplied: true })
      expect(yield* textOf(join(spec.path, ".env"))).toBe("SECRET=2\n")
    }))

  it.scoped("a removal that crashed inside git worktree remove survives git worktree prune and finishes when run again; recreate works after (item 10)", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      yield* fixture.writeFile(spec.path, ".env", "SECRET=3\n")
      yield* fixture.writeFile(spec.path, "tracked.txt", "changed, not committed\n")
      const crashing = yield* workspaceCrashingInRemove(fixture.savedDir, [".git", "tracked.txt"])
      expect(Exit.isFailure(yield* Effect.exit(crashing.remove(target)))).toBe(true)
      expect(yield* exists(join(spec.path, ".gitignore"))).toBe(true)
      expect(yield* fixture.workspace.interruptedRemovals(fixture.repoPath)).toEqual([{ path: spec.path, sessionId: "ao-1" }])
      // What doctor's stale-registration repair and every spawn (git worktree add) run.
      yield* git("-C", fixture.repoPath, "worktree", "prune")
      const early = yield* Effect.flip(fixture.workspace.recreate({ ...spec, snapshotRef: Option.none() }))
      expect(early.message).toContain("was interrupted after its work was saved; finish it with ao session kill ao-1")
      expect(yield* fixture.workspace.interruptedRemovals(fixture.repoPath)).toHaveLength(1)
      expect(yield* fixture.workspace.vetRemoval(target)).toEqual([])
      expect(yield* fixture.workspace.remove(target)).toMatchObject({ existed: true })
      expect(yield* exists(spec.path)).toBe(false)
      expect(yield* fixture.workspace.interruptedRemovals(fixture.repoPath)).toEqual([])
      const snapshotRef = yield* fixture.workspace.latestSnapshot({ repoPath: fixture.repoPath, sessionId: "ao-1" })
      expect(yield* fixture.workspace.recreate({ ...spec, snapshotRef })).toEqual({ snapshotApplied: true })
      expect(yield* textOf(join(spec.path, ".env"))).toBe("SECRET=3\n")
      expect(yield* textOf(join(spec.path, "tracked.txt"))).toBe("changed, not committed\n")
    }))

  it.scoped("a removal that crashed before git reached the .git file is finished, not snapshotted again as half-deleted (item 10)", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      yield* fixture.writeFile(spec.path, "tracked.txt", "changed, not committed\n")
      const crashing = yield* workspaceCrashingInRemove(fixture.savedDir, ["tracked.txt"])
      expect(Exit.isFailure(yield* Effect.exit(crashing.remove(target)))).toBe(true)
      const saved = yield* fixture.workspace.latestSnapshot({ repoPath: fixture.repoPath, sessionId: "ao-1" })
      expect(yield* fixture.workspace.remove(target)).toMatchObject({ existed: true, snapshotRef: Option.none() })
      expect(yield* fixture.workspace.latestSnapshot({ repoPath: fixture.repoPath, sessionId: "ao-1" })).toEqual(saved)
      yield* fixture.workspace.recreate({ ...spec, snapshotRef: saved })
      expect(yield* textOf(join(spec.path, "tracked.txt"))).toBe("changed, not committed\n")
    }))

  it.scoped("shows an unreadable HEAD as such instead of dying (issue 18 item 10)", () =>
    Effect.gen(function* () {
      const { fixture, spec } = yield* withWorktree
      const gitDir = (yield* git("-C", spec.path, "rev-parse", "--absolute-git-dir")).trim()
      // A link to itself cannot be read by anyone, root included (ELOOP), as EACCES cannot for others.
      yield* fs(() => unlink(join(gitDir, "HEAD")))
      yield* fs(() => symlink(join(gitDir, "HEAD"), join(gitDir, "HEAD")))
      const branch = yield* fixture.workspace.currentBranch(spec.path)
      expect(branch._tag).toBe("Unreadable")
      expect(yield* fixture.workspace.exists(spec.path)).toBe(true)
    }))

  it.scoped("keeps a file edited to the same size in the tick it was staged: the snapshot's private index keeps git's racy-entry check (crash suite, kill seed 1409956195)", () =>
    Effect.gen(function* () {
      const { fixture, spec, target } = yield* withWorktree
      const file = join(spec.path, "same-size.txt")
      const gitDir = (yield* git("-C", spec.path, "rev-parse", "--absolute-git-dir")).trim()
      const reference = join(fixture.root, "staged-at")
      // touch -r copies a file's time to the nanosecond (node's utimes rounds it).
      const sameTime = (from: string, to: string) => fs(() => execa("touch", ["-m", "-r", from, to]))
      yield* fs(() => writeFile(file, "staged-A\n"))
      yield* git("-C", spec.path, "add", "--", "same-size.txt")
      yield* fs(() => writeFile(reference, ""))
      yield* sameTime(file, reference)
      yield* fs(() => writeFile(file, "edited-B\n"))
      // As when the staging, the index write and the edit fall in one clock tick (1 in 5 tries by hand on this
      // machine): the edited file and the index carry the staged file's time. ctime cannot be set: git is told not to trust it.
      yield* sameTime(reference, file)
      yield* sameTime(reference, join(gitDir, "index"))
      yield* git("-C", spec.path, "config", "core.trustctime", "false")
      // Without the edit in the index's own tick, git itself sees the edit: the index is racy, and so must its copy be.
      const removal = yield* fixture.workspace.remove(target)
      const ref = Option.getOrThrow(removal.snapshotRef)
      expect({
        working: (yield* git("-C", fixture.repoPath, "show", `${ref}:same-size.txt`)).trim(),
        staged: (yield* git("-C", fixture.repoPath, "show", `${ref}^2:same-size.txt`)).trim()
      }).toEqual({ working: "edited-B", staged: "staged-A" })
    }))
})
