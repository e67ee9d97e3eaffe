import { snapshotRefAt, snapshotRefsOf } from "@ao/domain"
import { Clock, Effect, Option } from "effect"
import { existsSync } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { GitClient } from "./git-client"
import { gitlinksInIndex, gitlinksOfLsFiles } from "./index-gitlinks"
import { collectKept, type KeptSource, restoreKept, saveKept, type SnapshotSettings, submodulePaths } from "./kept-files"
import { copyIfPresent } from "./worktree-files"
import { parseSurvey, STATUS_ARGS, type WorktreeSurvey } from "./worktree-survey"

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

/** What `git status` says for the head of a branch with no commit. */
export const UNBORN = "(initial)"

/** The line of a snapshot's message naming what HEAD was on: a branch, or `(detached)`. */
const HEAD_LINE = "ao-head: "

/** Where a snapshot's files that git does not keep are: ignored files, nested repositories, submodules. */
export interface SnapshotPlaces {
  /** The private store's root, `<ao data>/saved`; one directory per snapshot below it. */
  readonly savedDir: string
  readonly settings: SnapshotSettings
}

/** The directory of a snapshot's copied files: `<savedDir>/<session>/<stamp>`, named like its ref. */
export const keptDirOf = (savedDir: string, ref: string): string => join(savedDir, ...ref.replace(/^refs\/ao\/snapshots\//, "").split("/"))

/** A scratch directory for one snapshot's private index, removed afterwards. */
const scratchDirectory = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "ao-snapshot-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

/**
 * The trees of the index as staged and of everything in the worktree that
 * is not ignored, built in a private copy of the index so the user's index
 * (and stash) stay as they were: even `write-tree` writes to the index it
 * reads. The copy keeps git's file stat cache, so `add -A` re-hashes only
 * what changed, and then makes it match the working files exactly.
 */
const treesOfIndexAndWorkingFiles = (worktree: string, gitDir: string, conflicted: boolean, nested: ReadonlyArray<string>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const git = yield* GitClient
      const index = join(yield* scratchDirectory, "index")
      const env = { GIT_INDEX_FILE: index }
      const copied = yield* copyIfPresent(join(gitDir, "index"), index)
      if (!copied) yield* git.run(["-C", worktree, "read-tree", "HEAD"], { env })
      // A merge conflict has no tree of its own; the staged tree is then HEAD's.
      const staged = conflicted ? "HEAD^{tree}" : yield* git.run(["-C", worktree, "write-tree"], { env })
      // Nested repositories go to the private store whole; `git add` would keep only a commit id, and
      // refuses outright one that has no commit yet.
      const outsideNested = nested.map((path) => `:(exclude,literal)${path}`)
      yield* git.run(["-C", worktree, "add", "--all", "--", ".", ...outsideNested], { env })
      return { staged, working: yield* git.run(["-C", worktree, "write-tree"], { env }) }
    })
  )

/** What a look at the worktree found: whether a snapshot is needed, and what it could not keep. */
export interface SnapshotPlan {
  readonly survey: WorktreeSurvey
  /** Copied to the private store: ignored files, nested repositories and submodules, from the worktree. */
  readonly kept: ReadonlyArray<string>
  /** Submodule repositories in the worktree's git directory (`modules/...`). */
  readonly keptAdmin: ReadonlyArray<string>
  readonly notSaved: ReadonlyArray<string>
  readonly needed: boolean
}

/**
 * One `git status` and a walk of what git does not keep: decides whether
 * there is anything to save and names what could not be saved, before
 * anything is written.
 */
export const planSnapshot = Effect.fn("GitSnapshot.plan")(function* (
  worktree: string,
  gitDir: string,
  branch: string | undefined,
  places: SnapshotPlaces
) {
  const git = yield* GitClient
  const survey = parseSurvey(yield* git.run(["--no-optional-locks", "-C", worktree, ...STATUS_ARGS]))
  const hasModules = existsSync(join(gitDir, "modules"))
  // Gitlinks too: a repository committed with no .gitmodules entry holds commits only it has, changed or not.
  const gitlinks = yield* Effect.flatMap(gitlinksInIndex(gitDir), (read) =>
    Option.isSome(read)
      ? Effect.succeed(read.value)
      : Effect.map(git.run(["--no-optional-locks", "-C", worktree, "ls-files", "--stage", "-z"]), gitlinksOfLsFiles)
  )
  const checkedOut = gitlinks.filter((path) => existsSync(join(worktree, path, ".git")))
  const submodules = [
    ...new Set([...survey.changedSubmodules, ...(hasModules ? yield* submodulePaths(worktree) : []), ...checkedOut])
  ]
  const fromWorktree = yield* collectKept(worktree, [...survey.ignored, ...survey.nested, ...submodules], places.settings)
  const fromAdmin = hasModules ? yield* collectKept(gitDir, ["modules/"], places.settings) : { files: [], bytes: 0, notSaved: [] }
  const notSaved = [
    ...fromWorktree.notSaved,
    ...fromAdmin.notSaved,
    ...(survey.conflicted.length > 0 ? [`the merge conflict in ${survey.conflicted.join(", ")} (the files are saved as they are)`] : [])
  ]
  const needed =
    survey.changed > 0 ||
    survey.untracked > 0 ||
    fromWorktree.files.length > 0 ||
    fromAdmin.files.length > 0 ||
    // A commit no branch reaches is kept by the snapshot's parent.
    (branch !== undefined && survey.branch !== branch)
  return { survey, kept: fromWorktree.files, keptAdmin: fromAdmin.files, notSaved, needed } satisfies SnapshotPlan
})

/**
 * Saves the worktree's work as a commit under `refs/ao/snapshots/<session>/<timestamp>`,
 * shaped like a `git stash` entry: its tree is the working files (tracked
 * and untracked), its first parent HEAD (so a commit no branch reaches stays
 * reachable), its second parent a commit of the index as staged. Ignored
 * files, nested repositories and submodules go to the private store under
 * the same name. Refs are shared by all worktrees, so the ref lives in the
 * main repository. None when there is nothing to save.
 */
export const takeSnapshot = Effect.fn("GitSnapshot.take")(function* (
  worktree: string,
  gitDir: string,
  sessionId: string,
  plan: SnapshotPlan,
  places: SnapshotPlaces
) {
  const git = yield* GitClient
  const { survey } = plan
  if (!plan.needed) return Option.none<string>()
  const trees = yield* treesOfIndexAndWorkingFiles(worktree, gitDir, survey.conflicted.length > 0, survey.nested)
  const message = (what: string) => `ao snapshot of ${sessionId}${what}\n\n${HEAD_LINE}${survey.branch ?? "(detached)"}\nWork in ${worktree}.`
  // A branch deleted under the worktree leaves HEAD with no commit: the snapshot then has no parent.
  const onHead = survey.head === UNBORN ? [] : ["-p", survey.head]
  const index = yield* git.run(["-C", worktree, "commit-tree", trees.staged, ...onHead, "-m", message(": the index")], {
    env: SNAPSHOT_AUTHOR
  })
  const commit = yield* git.run(["-C", worktree, "commit-tree", trees.working, ...onHead, "-p", index, "-m", message("")], {
    env: SNAPSHOT_AUTHOR
  })
  const ref = yield* freeSnapshotRef(worktree, sessionId)
  if (plan.kept.length > 0 || plan.keptAdmin.length > 0) {
    const sources: ReadonlyArray<KeptSource> = [
      { root: worktree, files: plan.kept, into: "worktree" },
      { root: gitDir, files: plan.keptAdmin, into: "admin" }
    ]
    yield* saveKept(sources, keptDirOf(places.savedDir, ref))
  }
  // The empty old value makes update-ref refuse if another process took the ref meanwhile.
  yield* git.run(["-C", worktree, "update-ref", ref, commit, ""])
  return Option.some(ref)
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

/** Where an applied snapshot's ref moves, so it is never applied twice and still kept. */
export const appliedRefOf = (ref: string): string => ref.replace(/^refs\/ao\/snapshots\//, "refs/ao/applied/")

/** A snapshot as recreate needs it: the commit it was taken on and what HEAD was on. */
export interface SnapshotCommit {
  readonly commit: string
  readonly base: string
  /** The index as staged; none for snapshots taken before the index was saved. */
  readonly index: Option.Option<string>
  /** The branch HEAD was on; null when detached, none when the snapshot does not say. */
  readonly headBranch: Option.Option<string | null>
}

/**
 * The snapshot's commit, read with one `cat-file`; none when `ref` is not a
 * ref to a commit.
 */
export const readSnapshot = Effect.fn("GitSnapshot.read")(function* (repoPath: string, ref: string) {
  const git = yield* GitClient
  // for-each-ref answers with exit code 0 whether or not the ref exists; it also lists refs beneath it.
  const found = (yield* git.run(["-C", repoPath, "for-each-ref", "--format=%(objecttype) %(objectname) %(refname)", ref]))
    .split("\n")
    .map((line) => line.split(" "))
    .find(([type, , name]) => type === "commit" && name === ref)
  if (found?.[1] === undefined) return Option.none<SnapshotCommit>()
  const text = yield* git.run(["-C", repoPath, "cat-file", "commit", ref])
  const parents = [...text.matchAll(/^parent ([0-9a-f]+)$/gm)].flatMap((match) => (match[1] === undefined ? [] : [match[1]]))
  const headLine = new RegExp(`^${HEAD_LINE}(.+)$`, "m").exec(text)?.[1]
  return Option.some<SnapshotCommit>({
    commit: found[1],
    base: parents[0] ?? "",
    index: Option.fromNullable(parents[1]),
    headBranch: headLine === undefined ? Option.none() : Option.some(headLine === "(detached)" ? null : headLine)
  })
})

/**
 * Puts the snapshot back into a fresh worktree on its base commit: the index
 * as staged, the working files byte for byte (files deleted before the
 * snapshot are deleted again), then the files from the private store. The
 * ref then moves to `refs/ao/applied/…`, so the snapshot is never applied twice.
 */
export const applySnapshot = Effect.fn("GitSnapshot.apply")(function* (
  worktree: string,
  gitDir: string,
  ref: string,
  snapshot: SnapshotCommit,
  places: SnapshotPlaces
) {
  const git = yield* GitClient
  if (Option.isSome(snapshot.index)) yield* git.run(["-C", worktree, "read-tree", snapshot.index.value])
  yield* git.run(["-C", worktree, "restore", `--source=${ref}`, "--worktree", "--", "."])
  const kept = keptDirOf(places.savedDir, ref)
  yield* restoreKept(join(kept, "worktree"), worktree)
  yield* restoreKept(join(kept, "admin"), gitDir)
  yield* git.run(["-C", worktree, "update-ref", "--stdin"], {
    input: `start\ncreate ${appliedRefOf(ref)} ${snapshot.commit}\ndelete ${ref} ${snapshot.commit}\ncommit\n`
  })
})
