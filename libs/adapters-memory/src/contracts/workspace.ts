import { type Workspace, type WorkspaceSpec, type WorkspaceTarget } from "@ao/domain"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Option, type Scope } from "effect"

/**
 * What the contract needs besides the port: a fresh repository, and hands to
 * act in a worktree the way an agent or a user would, behind ao's back.
 * Paths of files are relative to the worktree and '/'-separated.
 */
export interface WorkspaceFixture {
  readonly workspace: Workspace["Type"]
  /** The main repository; its base branch has at least one commit. */
  readonly repoPath: string
  readonly baseBranch: string
  /** A path where nothing exists yet, for a worktree called `name`. */
  readonly pathFor: (name: string) => string
  readonly writeFile: (worktree: string, file: string, content: string | Uint8Array) => Effect.Effect<void>
  readonly deleteFile: (worktree: string, file: string) => Effect.Effect<void>
  /** The file's bytes, none when it does not exist. */
  readonly readFile: (worktree: string, file: string) => Effect.Effect<Option.Option<Uint8Array>>
  /** `git add -A && git commit`. */
  readonly commitAll: (worktree: string) => Effect.Effect<void>
  /** `git switch -c branch`. */
  readonly switchToNewBranch: (worktree: string, branch: string) => Effect.Effect<void>
  readonly detachHead: (worktree: string) => Effect.Effect<void>
  /** `rm -rf` of the worktree directory, leaving git's registration stale. */
  readonly deleteWorktree: (worktree: string) => Effect.Effect<void>
  /** Puts a directory that is not a worktree at `path`. */
  readonly occupy: (path: string) => Effect.Effect<void>
  /** Makes every later snapshot fail, the way a real failure would. */
  readonly breakSnapshots: Effect.Effect<void>
  /**
   * Runs `remove` until it has saved the work and begun deleting, then stops
   * as a crash would: part of the worktree, its `.git` file among it, is gone.
   */
  readonly interruptRemoval: (target: WorkspaceTarget) => Effect.Effect<void>
}

const text = (content: string): Uint8Array => new TextEncoder().encode(content)

/** Every byte value, so an encoding or line-ending conversion would show. */
const BINARY = Uint8Array.from({ length: 256 }, (_, i) => i)

/** Uncommitted and untracked work of every kind a snapshot must keep. */
const DIRTY_FILES: ReadonlyArray<readonly [string, Uint8Array]> = [
  ["tracked.txt", text("changed, not committed\n")],
  ["assets/blob.bin", BINARY],
  ["deep/nested/dir/new.txt", text("untracked in a nested dir\n")],
  ["name with spaces.txt", text("spaces in the name\n")]
]

/**
 * The Workspace contract, run against the in-memory workspace and the git
 * adapter. `makeFixture` builds a fresh, isolated repository per test.
 */
export const workspaceContract = <E>(name: string, makeFixture: Effect.Effect<WorkspaceFixture, E, Scope.Scope>) =>
  describe(`Workspace contract: ${name}`, () => {
    const specFor = (fixture: WorkspaceFixture, session: string, branch = `ao/${session}`): WorkspaceSpec => ({
      repoPath: fixture.repoPath,
      path: fixture.pathFor(session),
      branch,
      baseBranch: fixture.baseBranch
    })

    /** A worktree with `tracked.txt` and `doomed.txt` committed on its branch. */
    const withCommittedFiles = (fixture: WorkspaceFixture, session: string) =>
      Effect.gen(function* () {
        const spec = specFor(fixture, session)
        yield* fixture.workspace.create(spec)
        yield* fixture.writeFile(spec.path, "tracked.txt", "committed\n")
        yield* fixture.writeFile(spec.path, "doomed.txt", "to be deleted\n")
        yield* fixture.commitAll(spec.path)
        return spec
      })

    /** Makes every kind of change a snapshot must keep, including a deleted tracked file. */
    const makeDirty = (fixture: WorkspaceFixture, path: string) =>
      Effect.gen(function* () {
        for (const [file, content] of DIRTY_FILES) yield* fixture.writeFile(path, file, content)
        yield* fixture.deleteFile(path, "doomed.txt")
      })

    const expectDirtyWork = (fixture: WorkspaceFixture, path: string) =>
      Effect.gen(function* () {
        for (const [file, content] of DIRTY_FILES) {
          expect(yield* fixture.readFile(path, file), file).toEqual(Option.some(content))
        }
        expect(yield* fixture.readFile(path, "doomed.txt")).toEqual(Option.none())
      })

    it.scoped("creates a worktree on a new branch from the base branch", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = specFor(fixture, "ao-1")
        expect(yield* fixture.workspace.exists(spec.path)).toBe(false)
        const created = yield* fixture.workspace.create(spec)
        expect(yield* fixture.workspace.exists(spec.path)).toBe(true)
        expect(yield* fixture.workspace.currentBranch(spec.path)).toEqual({ _tag: "OnBranch", branch: "ao/ao-1" })
        const state = yield* fixture.workspace.state(spec.path)
        expect(state).toMatchObject({ changed: 0, untracked: 0, unpushed: null })
        expect(created).toEqual({ branchCreated: true, head: state.head })
      }))

    it.scoped("deletes a branch it created that nobody has committed to", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = specFor(fixture, "ao-1")
        const created = yield* fixture.workspace.create(spec)
        assert(created.branchCreated, "the branch is new")
        yield* fixture.workspace.remove({ path: spec.path, sessionId: "ao-1", repoPath: fixture.repoPath })
        const target = { repoPath: fixture.repoPath, branch: spec.branch, expectedHead: created.head }
        expect(yield* fixture.workspace.branchHead(target)).toEqual(Option.some(created.head))
        expect(yield* fixture.workspace.deleteBranch(target)).toBe(true)
        expect(yield* fixture.workspace.branchHead(target)).toEqual(Option.none())
        // Gone: creating the worktree again makes the branch anew, and deleting it again finds nothing.
        expect(yield* fixture.workspace.deleteBranch(target)).toBe(false)
        expect((yield* fixture.workspace.create(spec)).branchCreated).toBe(true)
      }))

    it.scoped("keeps a branch that gained a commit since it was created", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = specFor(fixture, "ao-1")
        const created = yield* fixture.workspace.create(spec)
        assert(created.branchCreated, "the branch is new")
        yield* fixture.writeFile(spec.path, "work.txt", "committed work\n")
        yield* fixture.commitAll(spec.path)
        yield* fixture.workspace.remove({ path: spec.path, sessionId: "ao-1", repoPath: fixture.repoPath })
        const deleted = yield* fixture.workspace.deleteBranch({
          repoPath: fixture.repoPath,
          branch: spec.branch,
          expectedHead: created.head
        })
        expect(deleted).toBe(false)
        expect(yield* fixture.workspace.create(spec)).toEqual({ branchCreated: false })
        expect(yield* fixture.readFile(spec.path, "work.txt")).toEqual(Option.some(text("committed work\n")))
      }))

    it.scoped("reuses a branch that exists, with its commits", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const first = yield* withCommittedFiles(fixture, "ao-1")
        yield* fixture.workspace.remove({ path: first.path, sessionId: "ao-1", repoPath: fixture.repoPath })
        const again = { ...first, path: fixture.pathFor("ao-1-again") }
        expect(yield* fixture.workspace.create(again)).toEqual({ branchCreated: false })
        expect(yield* fixture.readFile(again.path, "tracked.txt")).toEqual(Option.some(text("committed\n")))
      }))

    it.scoped("refuses to create a worktree where something else already is", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = specFor(fixture, "ao-1")
        expect(yield* fixture.workspace.occupied(spec.path)).toBe(false)
        yield* fixture.occupy(spec.path)
        expect(yield* fixture.workspace.occupied(spec.path)).toBe(true)
        expect(yield* fixture.workspace.exists(spec.path)).toBe(false)
        const error = yield* Effect.flip(fixture.workspace.create(spec))
        expect(error._tag).toBe("WorkspaceFailed")
        expect(error.path).toBe(spec.path)
        const worktree = specFor(fixture, "ao-2")
        yield* fixture.workspace.create(worktree)
        expect(yield* fixture.workspace.occupied(worktree.path)).toBe(true)
      }))

    it.scoped("reads the live branch: a switch, a detached HEAD, a missing worktree", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = specFor(fixture, "ao-1")
        yield* fixture.workspace.create(spec)
        yield* fixture.switchToNewBranch(spec.path, "agent-chose-this")
        expect(yield* fixture.workspace.currentBranch(spec.path)).toEqual({ _tag: "OnBranch", branch: "agent-chose-this" })
        yield* fixture.detachHead(spec.path)
        const { head } = yield* fixture.workspace.state(spec.path)
        expect(yield* fixture.workspace.currentBranch(spec.path)).toEqual({ _tag: "Detached", commit: head })
        yield* fixture.deleteWorktree(spec.path)
        expect(yield* fixture.workspace.currentBranch(spec.path)).toEqual({ _tag: "Missing" })
        expect(yield* fixture.workspace.exists(spec.path)).toBe(false)
        expect(yield* fixture.workspace.currentBranch(fixture.pathFor("never-created"))).toEqual({ _tag: "Missing" })
      }))

    it.scoped("counts changed and untracked files", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        yield* makeDirty(fixture, spec.path)
        // tracked.txt changed and doomed.txt deleted; three new files.
        expect(yield* fixture.workspace.state(spec.path)).toMatchObject({ changed: 2, untracked: 3, unpushed: null })
      }))

    it.scoped("snapshots nothing for a clean worktree", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        expect(yield* fixture.workspace.snapshot({ path: spec.path, sessionId: "ao-1" })).toEqual(Option.none())
        expect(yield* fixture.workspace.latestSnapshot({ repoPath: fixture.repoPath, sessionId: "ao-1" })).toEqual(Option.none())
      }))

    it.scoped("gives snapshots taken in the same millisecond distinct refs, newest last", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        yield* makeDirty(fixture, spec.path)
        const target = { path: spec.path, sessionId: "ao-1" }
        const first = Option.getOrThrow(yield* fixture.workspace.snapshot(target))
        const second = Option.getOrThrow(yield* fixture.workspace.snapshot(target))
        expect(first).toMatch(/^refs\/ao\/snapshots\/ao-1\/\d{8}T\d{9}Z$/)
        expect(second).not.toBe(first)
        expect(yield* fixture.workspace.latestSnapshot({ repoPath: fixture.repoPath, sessionId: "ao-1" })).toEqual(
          Option.some(second)
        )
        // The snapshot leaves the worktree as it was.
        yield* expectDirtyWork(fixture, spec.path)
      }))

    it.scoped("removes a dirty worktree after snapshotting it, and recreates it byte for byte", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        yield* makeDirty(fixture, spec.path)
        const { head } = yield* fixture.workspace.state(spec.path)

        const removal = yield* fixture.workspace.remove({ path: spec.path, sessionId: "ao-1", repoPath: fixture.repoPath })
        expect(removal.existed).toBe(true)
        expect(removal.head).toEqual(Option.some(head))
        expect(Option.isSome(removal.snapshotRef)).toBe(true)
        expect(yield* fixture.workspace.exists(spec.path)).toBe(false)
        expect(yield* fixture.workspace.latestSnapshot({ repoPath: fixture.repoPath, sessionId: "ao-1" })).toEqual(
          removal.snapshotRef
        )

        expect(yield* fixture.workspace.recreate({ ...spec, snapshotRef: removal.snapshotRef })).toEqual({
          snapshotApplied: true
        })
        expect(yield* fixture.workspace.currentBranch(spec.path)).toEqual({ _tag: "OnBranch", branch: spec.branch })
        yield* expectDirtyWork(fixture, spec.path)
        // Re-applied, not committed: the work is uncommitted again.
        expect(yield* fixture.workspace.state(spec.path)).toMatchObject({ head, changed: 2, untracked: 3 })
      }))

    it.scoped("a removal interrupted midway is listed, survives prune, blocks recreate, and removing again finishes it", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        yield* makeDirty(fixture, spec.path)
        const target = { path: spec.path, sessionId: "ao-1", repoPath: fixture.repoPath, branch: spec.branch }
        yield* fixture.interruptRemoval(target)
        expect(yield* fixture.workspace.interruptedRemovals(fixture.repoPath)).toEqual([{ path: spec.path, sessionId: "ao-1" }])
        yield* fixture.workspace.prune(fixture.repoPath)
        expect(yield* fixture.workspace.interruptedRemovals(fixture.repoPath)).toHaveLength(1)
        const refused = yield* Effect.flip(fixture.workspace.recreate({ ...spec, snapshotRef: Option.none() }))
        expect(refused.detail).toContain("was interrupted after its work was saved")
        expect(yield* fixture.workspace.vetRemoval(target)).toEqual([])
        expect((yield* fixture.workspace.remove(target)).existed).toBe(true)
        expect(yield* fixture.workspace.interruptedRemovals(fixture.repoPath)).toEqual([])
        expect(yield* fixture.workspace.occupied(spec.path)).toBe(false)
        const snapshotRef = yield* fixture.workspace.latestSnapshot({ repoPath: fixture.repoPath, sessionId: "ao-1" })
        expect(yield* fixture.workspace.recreate({ ...spec, snapshotRef })).toEqual({ snapshotApplied: true })
        yield* expectDirtyWork(fixture, spec.path)
      }))

    it.scoped("recreates a worktree deleted behind ao's back from its branch and a snapshot", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        yield* makeDirty(fixture, spec.path)
        const snapshotRef = yield* fixture.workspace.snapshot({ path: spec.path, sessionId: "ao-1" })
        yield* fixture.deleteWorktree(spec.path)
        expect(yield* fixture.workspace.recreate({ ...spec, snapshotRef })).toEqual({ snapshotApplied: true })
        yield* expectDirtyWork(fixture, spec.path)
      }))

    it.scoped("recreates from the branch alone when there is no snapshot", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        yield* fixture.deleteWorktree(spec.path)
        expect(yield* fixture.workspace.recreate({ ...spec, snapshotRef: Option.none() })).toEqual({ snapshotApplied: false })
        expect(yield* fixture.readFile(spec.path, "tracked.txt")).toEqual(Option.some(text("committed\n")))
        expect(yield* fixture.workspace.state(spec.path)).toMatchObject({ changed: 0, untracked: 0 })
      }))

    it.scoped("refuses to recreate a worktree that still exists, leaving its work alone", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        yield* makeDirty(fixture, spec.path)
        const snapshotRef = yield* fixture.workspace.snapshot({ path: spec.path, sessionId: "ao-1" })
        yield* fixture.writeFile(spec.path, "tracked.txt", "newer than the snapshot\n")
        const error = yield* Effect.flip(fixture.workspace.recreate({ ...spec, snapshotRef }))
        expect(error).toMatchObject({ _tag: "WorkspaceFailed", path: spec.path })
        expect(yield* fixture.readFile(spec.path, "tracked.txt")).toEqual(Option.some(text("newer than the snapshot\n")))
      }))

    it.scoped("removes a clean worktree without a snapshot, finding the repository itself", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        const removal = yield* fixture.workspace.remove({ path: spec.path, sessionId: "ao-1" })
        expect(removal).toMatchObject({ existed: true, snapshotRef: Option.none() })
        expect(yield* fixture.workspace.exists(spec.path)).toBe(false)
      }))

    it.scoped("removes twice without complaint: the second time there is nothing left", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        const target = { path: spec.path, sessionId: "ao-1", repoPath: fixture.repoPath }
        expect((yield* fixture.workspace.remove(target)).existed).toBe(true)
        expect(yield* fixture.workspace.remove(target)).toEqual({
          existed: false,
          head: Option.none(),
          snapshotRef: Option.none(),
          notSaved: []
        })
      }))

    it.scoped("forgets a worktree deleted behind ao's back when asked to remove it", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        yield* fixture.deleteWorktree(spec.path)
        const removal = yield* fixture.workspace.remove({ path: spec.path, sessionId: "ao-1", repoPath: fixture.repoPath })
        expect(removal.existed).toBe(false)
        // The stale registration is gone, so the same path and branch can be used again.
        expect(yield* fixture.workspace.create(spec)).toEqual({ branchCreated: false })
      }))

    it.scoped("refuses to remove a worktree whose work it cannot snapshot, and leaves it intact", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        yield* makeDirty(fixture, spec.path)
        yield* fixture.breakSnapshots
        const error = yield* Effect.flip(
          fixture.workspace.remove({ path: spec.path, sessionId: "ao-1", repoPath: fixture.repoPath })
        )
        expect(error._tag).toBe("SnapshotFailed")
        expect(error.path).toBe(spec.path)
        expect(error.detail.length).toBeGreaterThan(0)
        expect(yield* fixture.workspace.exists(spec.path)).toBe(true)
        yield* expectDirtyWork(fixture, spec.path)
      }))
    it.scoped("fails to create from a base branch the repository does not have, creating nothing", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        yield* fixture.workspace.create(specFor(fixture, "ao-1"))
        const spec = { ...specFor(fixture, "ao-2"), baseBranch: "no-such-branch" }
        const error = yield* Effect.flip(fixture.workspace.create(spec))
        expect(error._tag).toBe("WorkspaceFailed")
        expect(yield* fixture.workspace.exists(spec.path)).toBe(false)
        expect((yield* fixture.workspace.list(fixture.repoPath)).map((worktree) => worktree.path)).toEqual([specFor(fixture, "ao-1").path])
      }))

    it.scoped("keeps a branch deleted under its worktree deleted, and still saves the worktree's files", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        const head = (yield* fixture.workspace.state(spec.path)).head
        expect(yield* fixture.workspace.deleteBranch({ repoPath: fixture.repoPath, branch: spec.branch, expectedHead: head })).toBe(true)
        const removal = yield* fixture.workspace.remove({ path: spec.path, sessionId: "ao-1", repoPath: fixture.repoPath })
        expect(Option.isSome(removal.snapshotRef)).toBe(true)
        expect((yield* fixture.workspace.list(fixture.repoPath)).map((worktree) => worktree.branch)).toEqual([])
        // Recreating needs the branch: it is gone, and nothing brought it back.
        const error = yield* Effect.flip(fixture.workspace.recreate({ ...spec, snapshotRef: removal.snapshotRef }))
        expect(error.detail).toContain(spec.branch)
      }))

    it.scoped("refuses to remove a worktree of another repository than the one named, and leaves it", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        yield* makeDirty(fixture, spec.path)
        const elsewhere = fixture.pathFor("another-repository")
        yield* fixture.occupy(elsewhere)
        const error = yield* Effect.flip(fixture.workspace.remove({ path: spec.path, sessionId: "ao-1", repoPath: elsewhere }))
        expect(error._tag).toBe("WorkspaceFailed")
        expect(yield* fixture.workspace.exists(spec.path)).toBe(true)
        yield* expectDirtyWork(fixture, spec.path)
      }))

    it.scoped("refuses to remove what is not a worktree it made, or lies outside the worktree directory", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const stranger = fixture.pathFor("not-a-worktree")
        yield* fixture.occupy(stranger)
        const notOurs = yield* Effect.flip(fixture.workspace.vetRemoval({ path: stranger, sessionId: "ao-9", repoPath: fixture.repoPath }))
        expect(notOurs.detail).toMatch(/^refused: /)
        expect(yield* Effect.flip(fixture.workspace.remove({ path: stranger, sessionId: "ao-9", repoPath: fixture.repoPath }))).toEqual(notOurs)
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        const outside = { path: spec.path, sessionId: "ao-1", repoPath: fixture.repoPath, worktreeDir: fixture.pathFor("elsewhere") }
        expect((yield* Effect.flip(fixture.workspace.remove(outside))).detail).toContain("outside the worktree directory")
        expect(yield* fixture.workspace.exists(spec.path)).toBe(true)
      }))

    it.scoped("lists the worktrees it made, a deleted one as prunable until pruned", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const first = yield* withCommittedFiles(fixture, "ao-1")
        const second = yield* withCommittedFiles(fixture, "ao-2")
        yield* fixture.detachHead(second.path)
        expect(yield* fixture.workspace.list(fixture.repoPath)).toEqual([
          { path: first.path, branch: first.branch, prunable: false },
          { path: second.path, branch: null, prunable: false }
        ])
        yield* fixture.deleteWorktree(first.path)
        expect(yield* fixture.workspace.list(fixture.repoPath)).toEqual([
          { path: first.path, branch: first.branch, prunable: true },
          { path: second.path, branch: null, prunable: false }
        ])
        yield* fixture.workspace.prune(fixture.repoPath)
        expect((yield* fixture.workspace.list(fixture.repoPath)).map((worktree) => worktree.path)).toEqual([second.path])
      }))

    it.scoped("keeps a commit no branch reaches: a clean detached HEAD is snapshotted and comes back", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        yield* fixture.detachHead(spec.path)
        yield* fixture.writeFile(spec.path, "detached.txt", "committed on a detached HEAD\n")
        yield* fixture.commitAll(spec.path)
        const target = { path: spec.path, sessionId: "ao-1", repoPath: fixture.repoPath, branch: spec.branch }
        const removal = yield* fixture.workspace.remove(target)
        expect(Option.isSome(removal.snapshotRef)).toBe(true)
        expect(yield* fixture.workspace.recreate({ ...spec, snapshotRef: removal.snapshotRef })).toEqual({ snapshotApplied: true })
        expect(yield* fixture.readFile(spec.path, "detached.txt")).toEqual(Option.some(text("committed on a detached HEAD\n")))
        expect((yield* fixture.workspace.currentBranch(spec.path))._tag).toBe("Detached")
      }))

    it.scoped("applies a snapshot only onto the commit it was taken from, and only once", () =>
      Effect.gen(function* () {
        const fixture = yield* makeFixture
        const spec = yield* withCommittedFiles(fixture, "ao-1")
        const target = { path: spec.path, sessionId: "ao-1", repoPath: fixture.repoPath, branch: spec.branch }
        yield* fixture.writeFile(spec.path, "tracked.txt", "snapshot one\n")
        const first = yield* fixture.workspace.remove(target)
        expect(yield* fixture.workspace.recreate({ ...spec, snapshotRef: first.snapshotRef })).toEqual({ snapshotApplied: true })
        // The agent commits newer work, then the session is killed clean and recreated from the same record.
        yield* fixture.writeFile(spec.path, "tracked.txt", "committed later\n")
        yield* fixture.commitAll(spec.path)
        expect((yield* fixture.workspace.remove(target)).snapshotRef).toEqual(Option.none())
        expect(yield* fixture.workspace.recreate({ ...spec, snapshotRef: first.snapshotRef })).toEqual({ snapshotApplied: false })
        expect(yield* fixture.readFile(spec.path, "tracked.txt")).toEqual(Option.some(text("committed later\n")))
        expect(yield* fixture.workspace.latestSnapshot({ repoPath: fixture.repoPath, sessionId: "ao-1" })).toEqual(Option.none())
      }))
  })
