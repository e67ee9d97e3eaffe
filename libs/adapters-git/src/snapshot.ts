import { snapshotRefAt, snapshotRefsOf } from "@ao/domain"
import { Clock, Effect, Option } from "effect"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { GitClient } from "./git-client"
import { copyIfPresent } from "./worktree-files"

/**
 * Snapshot commits are authored by ao, so taking one never fails for want of
 * a configured `user.name`; the commit's parent says whose work it was.
 */
const SNAPSHOT_AUTHOR = {
  GIT_AUTHOR_NAME: "ao",
  GIT_AUTHOR_EMAIL: "ao@localhost",
  GIT_COMMITTER_NAME: "ao",
  GIT_COMMITTER_EMAIL: "ao@localhost"
}

/** A scratch directory for one snapshot's private index, removed afterwards. */
const scratchDirectory = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "ao-snapshot-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

/**
 * The tree of everything in the worktree that is not ignored, built in a
 * private index so the user's index (and stash) stay as they were. The index
 * is seeded from a copy of the worktree's own, so git reuses its file stat
 * cache rather than re-hashing every file; `add -A` then makes it match the
 * working files exactly, whatever was staged.
 */
const treeOfWorkingFiles = (worktree: string, gitDir: string) =>
  Effect.scoped(
    Effect.gen(function* () {
      const git = yield* GitClient
      const index = join(yield* scratchDirectory, "index")
      const env = { GIT_INDEX_FILE: index }
      const copied = yield* copyIfPresent(join(gitDir, "index"), index)
      if (!copied) yield* git.run(["-C", worktree, "read-tree", "HEAD"], { env })
      yield* git.run(["-C", worktree, "add", "--all"], { env })
      return yield* git.run(["-C", worktree, "write-tree"], { env })
    })
  )

/**
 * Saves the worktree's uncommitted and untracked work as a commit (parent:
 * HEAD) under `refs/ao/snapshots/<session>/<timestamp>`; refs are shared by
 * all worktrees, so the ref lives in the main repository. None when there is
 * nothing to save. Returns the head either way, for the removal's record.
 */
export const takeSnapshot = Effect.fn("GitSnapshot.take")(function* (worktree: string, gitDir: string, sessionId: string) {
  const git = yield* GitClient
  const [head = "", headTree = ""] = (yield* git.run(["-C", worktree, "rev-parse", "HEAD", "HEAD^{tree}"])).split("\n")
  const tree = yield* treeOfWorkingFiles(worktree, gitDir)
  if (tree === headTree) return { head, ref: Option.none<string>() }
  const commit = yield* git.run(
    ["-C", worktree, "commit-tree", tree, "-p", head, "-m", `ao snapshot of ${sessionId}\n\nUncommitted and untracked work in ${worktree}.`],
    { env: SNAPSHOT_AUTHOR }
  )
  const ref = yield* freeSnapshotRef(worktree, sessionId)
  // The empty old value makes update-ref refuse if another process took the ref meanwhile.
  yield* git.run(["-C", worktree, "update-ref", ref, commit, ""])
  return { head, ref: Option.some(ref) }
})

/** The ref for now, or the next free millisecond when a snapshot already has it. */
const freeSnapshotRef = Effect.fn("GitSnapshot.freeRef")(function* (worktree: string, sessionId: string) {
  const git = yield* GitClient
  const taken = new Set(
    (yield* git.run(["-C", worktree, "for-each-ref", "--format=%(refname)", snapshotRefsOf(sessionId)])).split("\n")
  )
  let at = yield* Clock.currentTimeMillis
  while (taken.has(snapshotRefAt(sessionId, at))) at++
  return snapshotRefAt(sessionId, at)
})

/** The newest snapshot of a session: refs are named by time, so the greatest name. */
export const latestSnapshot = Effect.fn("GitSnapshot.latest")(function* (repoPath: string, sessionId: string) {
  const git = yield* GitClient
  const newest = yield* git.run([
    "-C",
    repoPath,
    "for-each-ref",
    "--sort=-refname",
    "--count=1",
    "--format=%(refname)",
    snapshotRefsOf(sessionId)
  ])
  return newest === "" ? Option.none<string>() : Option.some(newest)
})

/**
 * Whether `ref` is a ref to a commit. `for-each-ref` answers with exit code 0
 * either way, unlike `rev-parse --verify`; it also lists refs beneath `ref`,
 * so only an exact match counts.
 */
export const snapshotExists = Effect.fn("GitSnapshot.exists")(function* (repoPath: string, ref: string) {
  const git = yield* GitClient
  const found = yield* git.run(["-C", repoPath, "for-each-ref", "--format=%(objecttype) %(refname)", ref])
  return found.split("\n").includes(`commit ${ref}`)
})

/**
 * Writes the snapshot's files into the worktree without touching its index:
 * changed and untracked files come back as uncommitted work, byte for byte,
 * and files deleted before the snapshot are deleted again.
 */
export const applySnapshot = Effect.fn("GitSnapshot.apply")(function* (worktree: string, ref: string) {
  const git = yield* GitClient
  yield* git.run(["-C", worktree, "restore", `--source=${ref}`, "--worktree", "--", "."])
})
