import {
  type BranchState,
  SnapshotFailed,
  Workspace,
  type WorkspaceCreated,
  WorkspaceFailed,
  type WorkspaceSpec,
  type WorkspaceTarget
} from "@ao/domain"
import { Effect, Layer, Option } from "effect"
import { mkdir, readdir, realpath, rm } from "node:fs/promises"
import { dirname, join } from "node:path"
import { GitClient } from "./git-client"
import { snapshotFailed, workspaceFailed } from "./git-failures"
import { applySnapshot, appliedRefOf, latestSnapshot, planSnapshot, readSnapshot, type SnapshotPlaces, takeSnapshot, UNBORN } from "./snapshot"
import { branchStateOf, gitDirOf, mainRepositoryOf } from "./worktree-files"
import { retryWhenPrunedMidAdd } from "./worktree-add-race"
import { pruneRegistrations, registeredWorktrees } from "./worktree-inventory"
import { clearRemovalIntent, recordRemovalIntent, removalIntentFor, removalIntents } from "./removal-intent"
import { markWorktree, type Ownership, ownershipOf } from "./worktree-ownership"
import { parseStatus } from "./worktree-status"

const describeHead = (state: BranchState): string => {
  switch (state._tag) {
    case "OnBranch":
      return `branch ${state.branch}`
    case "Detached":
      return `detached commit ${state.commit}`
    case "Missing":
      return "nothing"
    case "Unreadable":
      return `an unreadable HEAD (${state.detail})`
  }
}

/** Whether something other than an empty directory is at `path`. */
const isOccupied = (path: string) =>
  Effect.tryPromise({ try: () => readdir(path), catch: (cause) => cause }).pipe(
    Effect.map((entries) => entries.length > 0),
    Effect.catchAll((cause) => {
      const code = (cause as { readonly code?: unknown } | null)?.code
      if (code === "ENOENT") return Effect.succeed(false)
      if (code === "ENOTDIR") return Effect.succeed(true)
      return Effect.fail(cause)
    })
  )

/** Two paths naming the same directory, through symlinks and `..`. */
const sameDirectory = (a: string, b: string) =>
  Effect.tryPromise(() => Promise.all([realpath(a), realpath(b)])).pipe(Effect.map(([x, y]) => x === y))

const fsFailure = (operation: string, path: string) => (cause: unknown) =>
  new WorkspaceFailed({ operation, path, detail: cause instanceof Error ? cause.message : String(cause) })

/**
 * The Workspace port over git worktrees. Reads (`exists`, `currentBranch`)
 * look at git's files and run nothing; `remove` snapshots before it deletes
 * and uses `--force` only once the work is saved. Files git does not keep
 * (ignored files, nested repositories) are copied to `places.savedDir`.
 */
export const makeGitWorkspace = (places: SnapshotPlaces) =>
  Effect.gen(function* () {
  const git = yield* GitClient
  const withGit = <A, E>(effect: Effect.Effect<A, E, GitClient>): Effect.Effect<A, E> =>
    Effect.provideService(effect, GitClient, git)

  const currentBranch = (path: string): Effect.Effect<BranchState> =>
    // One unreadable worktree must not hide the others from a listing: it is shown as such.
    Effect.catchTag(branchStateOf(path), "GitFileUnreadable", (failure) =>
      Effect.succeed<BranchState>({ _tag: "Unreadable", detail: failure.message })
    )

  const prune = (repoPath: string) => git.run(["-C", repoPath, "worktree", "prune"])

  /** The commit a branch points at; none when there is no such branch. */
  const branchHead = (repoPath: string, branch: string) =>
    // The pattern also matches refs below it (`ao/x` for `ao`), hence the exact comparison.
    Effect.map(git.run(["-C", repoPath, "for-each-ref", "--format=%(refname) %(objectname)", `refs/heads/${branch}`]), (out) =>
      Option.fromNullable(
        out
          .split("\n")
          .find((line) => line.startsWith(`refs/heads/${branch} `))
          ?.slice(`refs/heads/${branch} `.length)
      )
    )

  const hasBranch = (repoPath: string, branch: string) => Effect.map(branchHead(repoPath, branch), Option.isSome)

  /** Records in the worktree's git directory that ao made it: only such worktrees are ever removed. */
  const mark = (path: string) =>
    Effect.gen(function* () {
      const gitDir = yield* gitDirOf(path)
      if (Option.isSome(gitDir)) yield* markWorktree(path, gitDir.value)
    }).pipe(Effect.mapError(workspaceFailed("mark", path)))

  /**
   * A removal of `path` that was interrupted must finish before anything is made there: the half-deleted
   * files would otherwise pass for a worktree, or block the path. One whose files are all gone already
   * only lacks its bookkeeping, which is done here.
   */
  const finishOrRefuseInterrupted = Effect.fn("GitWorkspace.interrupted")(function* (operation: string, spec: WorkspaceSpec) {
    const failed = workspaceFailed(operation, spec.path)
    const intent = yield* Effect.mapError(removalIntentFor(spec.repoPath, spec.path), failed)
    if (Option.isNone(intent)) return
    if (yield* Effect.mapError(isOccupied(spec.path), fsFailure(operation, spec.path))) {
      return yield* new WorkspaceFailed({
        operation,
        path: spec.path,
        detail: `an earlier removal of it (session ${intent.value.sessionId}) was interrupted after its work was saved; finish it with ao session kill ${intent.value.sessionId} or ao doctor --fix, then run this again`
      })
    }
    yield* Effect.mapError(prune(spec.repoPath), failed)
    yield* Effect.mapError(clearRemovalIntent(intent.value), failed)
  })

  const create = Effect.fn("GitWorkspace.create")(function* (
    spec: WorkspaceSpec
  ): Effect.fn.Return<WorkspaceCreated, WorkspaceFailed> {
    const failed = (detail: string) => new WorkspaceFailed({ operation: "create", path: spec.path, detail })
    yield* finishOrRefuseInterrupted("create", spec)
    const current = yield* currentBranch(spec.path)
    if (current._tag !== "Missing") {
      // Already there from an interrupted run of the same spawn: nothing to do.
      const owner = yield* Effect.mapError(mainRepositoryOf(spec.path), workspaceFailed("create", spec.path))
      const ours = Option.isSome(owner) && (yield* Effect.mapError(sameDirectory(owner.value, spec.repoPath), fsFailure("create", spec.path)))
      if (ours && current._tag === "OnBranch" && current.branch === spec.branch) {
        yield* mark(spec.path)
        return { branchCreated: false }
      }
      return yield* failed(
        `it is already a worktree (of ${Option.getOrElse(owner, () => "another repository")}, on ${describeHead(current)}); remove it or choose another path`
      )
    }
    if (yield* Effect.mapError(isOccupied(spec.path), fsFailure("create", spec.path))) {
      return yield* failed(`the path exists and is not a worktree of ${spec.repoPath}; move it away or choose another path`)
    }
    yield* Effect.tryPromise({ try: () => mkdir(dirname(spec.path), { recursive: true }), catch: fsFailure("create", spec.path) })
    // Asked once, before any attempt: an attempt whose registration another process pruned has already
    // made the branch, and the retry must still report it as made here, or a rollback would keep it.
    const branchExisted = yield* Effect.mapError(hasBranch(spec.repoPath, spec.branch), workspaceFailed("create", spec.path))
    let attempts = 0
    const created = yield* Effect.gen(function* () {
      attempts++
      // A registration left by a worktree deleted behind git's back would block the path and the branch.
      yield* prune(spec.repoPath)
      if (branchExisted) {
        yield* git.run(["-C", spec.repoPath, "worktree", "add", "--", spec.path, spec.branch])
        return { branchCreated: false } as const
      }
      const madeByEarlierAttempt = attempts > 1 && (yield* hasBranch(spec.repoPath, spec.branch))
      yield* git.run(
        madeByEarlierAttempt
          ? ["-C", spec.repoPath, "worktree", "add", "--", spec.path, spec.branch]
          : ["-C", spec.repoPath, "worktree", "add", "-b", spec.branch, "--", spec.path, spec.baseBranch]
      )
      const head = yield* git.run(["-C", spec.path, "rev-parse", "--verify", "HEAD"])
      return { branchCreated: true, head: head.trim() } as const
    }).pipe(retryWhenPrunedMidAdd, Effect.mapError(workspaceFailed("create", spec.path)))
    yield* mark(spec.path)
    return created
  })

  const deleteBranch = Effect.fn("GitWorkspace.deleteBranch")(function* (target: {
    readonly repoPath: string
    readonly branch: string
    readonly expectedHead: string
  }) {
    const ref = `refs/heads/${target.branch}`
    // With the old value given, git deletes the ref only if it still points there, under its lock.
    return yield* git.run(["-C", target.repoPath, "update-ref", "-d", ref, target.expectedHead]).pipe(
      Effect.as(true),
      Effect.catchTag("GitCommandFailed", (failure) =>
        // Refused because the branch moved or is gone: kept, not an error. Anything else is.
        Effect.flatMap(branchHead(target.repoPath, target.branch), (now) =>
          Option.contains(now, target.expectedHead) ? Effect.fail(failure) : Effect.succeed(false)
        )
      ),
      Effect.mapError(workspaceFailed(`delete branch ${target.branch} in`, target.repoPath))
    )
  })

  /** Whether ao may remove the target: ao made it, and it is where the session says. */
  const ownership = (target: WorkspaceTarget): Effect.Effect<Ownership, WorkspaceFailed> =>
    Effect.mapError(
      ownershipOf(target.path, {
        ...(target.repoPath === undefined ? {} : { repoPath: target.repoPath }),
        ...(target.worktreeDir === undefined ? {} : { worktreeDir: target.worktreeDir }),
        ...(target.branch === undefined ? {} : { branch: target.branch })
      }),
      workspaceFailed("remove", target.path)
    )

  const refuse = (target: WorkspaceTarget, why: string) =>
    new WorkspaceFailed({ operation: "remove", path: target.path, detail: `refused: ${why}` })

  /** What a snapshot of the target would save and leave out; refused unless forced when it would leave something out. */
  const plan = Effect.fn("GitWorkspace.plan")(function* (target: WorkspaceTarget, gitDir: string) {
    const planned = yield* Effect.mapError(withGit(planSnapshot(target.path, gitDir, target.branch, places)), snapshotFailed(target.path))
    if (planned.notSaved.length > 0 && target.force !== true) {
      return yield* new SnapshotFailed({
        path: target.path,
        detail: `these would not be saved: ${planned.notSaved.join("; ")}; move them out, or run again with --force to remove them anyway`
      })
    }
    return planned
  })

  const vetRemoval = Effect.fn("GitWorkspace.vetRemoval")(function* (target: WorkspaceTarget) {
    const owned = yield* ownership(target)
    if (owned._tag === "Refused") return yield* refuse(target, owned.why)
    if (owned._tag === "Gone" || owned._tag === "HalfRemoved") return []
    return (yield* plan(target, owned.gitDir)).notSaved
  })

  /** The snapshot of a worktree that is there; fails when there is none to save. */
  const snapshot = Effect.fn("GitWorkspace.snapshot")(function* (target: WorkspaceTarget) {
    const failed = snapshotFailed(target.path)
    const gitDir = yield* Effect.mapError(gitDirOf(target.path), failed)
    if (Option.isNone(gitDir)) return yield* new SnapshotFailed({ path: target.path, detail: "the worktree does not exist" })
    const planned = yield* plan(target, gitDir.value)
    return yield* Effect.mapError(withGit(takeSnapshot(target.path, gitDir.value, target.sessionId, planned, places)), failed)
  })

  const remove = Effect.fn("GitWorkspace.remove")(function* (target: WorkspaceTarget) {
    const failed = workspaceFailed("remove", target.path)
    const owned = yield* ownership(target)
    if (owned._tag === "Refused") return yield* refuse(target, owned.why)
    const gone = { existed: false, head: Option.none<string>(), snapshotRef: Option.none<string>(), notSaved: [] }
    if (owned._tag === "Gone") {
      // Run again after an interruption, or deleted behind ao's back: only git's registration is left.
      const repoPath = target.repoPath ?? Option.getOrUndefined(yield* Effect.mapError(mainRepositoryOf(target.path), failed))
      if (repoPath !== undefined) {
        yield* Effect.mapError(prune(repoPath), failed)
        const intent = yield* Effect.mapError(removalIntentFor(repoPath, target.path), failed)
        if (Option.isSome(intent)) yield* Effect.mapError(clearRemovalIntent(intent.value), failed)
      }
      return gone
    }
    if (owned._tag === "HalfRemoved") {
      // Its work was saved before the interrupted removal began; only the rest of the files are left.
      yield* Effect.tryPromise({ try: () => rm(target.path, { recursive: true, force: true }), catch: fsFailure("remove", target.path) })
      yield* Effect.mapError(prune(owned.repoPath), failed)
      if (Option.isSome(owned.intent)) yield* Effect.mapError(clearRemovalIntent(owned.intent.value), failed)
      return { ...gone, existed: true }
    }
    const planned = yield* plan(target, owned.gitDir)
    const ref = yield* Effect.mapError(withGit(takeSnapshot(target.path, owned.gitDir, target.sessionId, planned, places)), snapshotFailed(target.path))
    // From here on a crash leaves a half-removed worktree that the next removal finishes, never snapshots again.
    const intent = yield* Effect.mapError(recordRemovalIntent(owned.repoPath, target.path, target.sessionId), failed)
    // git removes the registration with the files; the repository is the working directory, never the worktree itself.
    yield* Effect.mapError(git.run(["-C", owned.repoPath, "worktree", "remove", "--force", "--", target.path]), failed)
    yield* Effect.mapError(clearRemovalIntent(intent), failed)
    const head = planned.survey.head === UNBORN ? Option.none<string>() : Option.some(planned.survey.head)
    return { existed: true, head, snapshotRef: ref, notSaved: planned.notSaved }
  })

  const recreate = Effect.fn("GitWorkspace.recreate")(function* (
    spec: WorkspaceSpec & { readonly snapshotRef: Option.Option<string> }
  ) {
    const failed = (detail: string) => new WorkspaceFailed({ operation: "recreate", path: spec.path, detail })
    const gitFailed = workspaceFailed("recreate", spec.path)
    yield* finishOrRefuseInterrupted("recreate", spec)
    // Everything is checked before anything is created, so a refused request leaves nothing half done.
    if ((yield* currentBranch(spec.path))._tag !== "Missing") {
      // Re-applying a snapshot over a live worktree could overwrite newer work.
      return yield* failed("the worktree still exists; there is nothing to recreate")
    }
    const tip = yield* Effect.mapError(branchHead(spec.repoPath, spec.branch), gitFailed)
    if (Option.isNone(tip)) return yield* failed(`branch ${spec.branch} no longer exists in ${spec.repoPath}`)
    const found = yield* Option.match(spec.snapshotRef, {
      onNone: () => Effect.succeedNone,
      onSome: (ref) => Effect.mapError(withGit(readSnapshot(spec.repoPath, ref)), gitFailed)
    })
    if (Option.isSome(spec.snapshotRef) && Option.isNone(found)) {
      const applied = yield* Effect.mapError(withGit(readSnapshot(spec.repoPath, appliedRefOf(spec.snapshotRef.value))), gitFailed)
      // Applied by an earlier recreate: its work is in the branch or was discarded since; never applied twice.
      if (Option.isNone(applied)) return yield* failed(`snapshot ${spec.snapshotRef.value} does not exist in ${spec.repoPath}`)
    }
    yield* create(spec)
    if (Option.isNone(found) || Option.isNone(spec.snapshotRef)) return { snapshotApplied: false }
    const snapshot = found.value
    // A snapshot goes back only onto the commit it was taken from: over newer commits it would revert them.
    const offBranch = Option.exists(snapshot.headBranch, (branch) => branch !== spec.branch)
    if (!offBranch && snapshot.base !== tip.value) return { snapshotApplied: false }
    const gitDir = yield* Effect.mapError(gitDirOf(spec.path), gitFailed)
    if (Option.isNone(gitDir)) return yield* failed("the new worktree has no git directory")
    if (offBranch) {
      // HEAD was detached or on another branch: back there, so no commit is lost from sight.
      yield* Effect.mapError(git.run(["-C", spec.path, "checkout", "--quiet", "--detach", snapshot.base]), gitFailed)
    }
    yield* Effect.mapError(withGit(applySnapshot(spec.path, gitDir.value, spec.snapshotRef.value, snapshot, places)), gitFailed)
    return { snapshotApplied: true }
  })

  const state = Effect.fn("GitWorkspace.state")(function* (path: string) {
    if ((yield* currentBranch(path))._tag === "Missing") {
      return yield* new WorkspaceFailed({ operation: "read the state of", path, detail: "the worktree does not exist" })
    }
    // --no-optional-locks: a read must not take the index lock a running agent may need.
    const output = yield* Effect.mapError(
      git.run(["--no-optional-locks", "-C", path, "status", "--porcelain=v2", "--branch", "--untracked-files=all"]),
      workspaceFailed("read the state of", path)
    )
    return parseStatus(output)
  })

  return Workspace.of({
    create,
    deleteBranch,
    branchHead: (target) =>
      Effect.mapError(branchHead(target.repoPath, target.branch), workspaceFailed(`read branch ${target.branch} in`, target.repoPath)),
    exists: (path) => Effect.map(currentBranch(path), (state) => state._tag !== "Missing"),
    occupied: (path) => Effect.mapError(isOccupied(path), fsFailure("inspect", path)),
    currentBranch,
    state,
    snapshot,
    vetRemoval,
    remove,
    recreate,
    latestSnapshot: ({ repoPath, sessionId }) =>
      Effect.mapError(withGit(latestSnapshot(repoPath, sessionId)), workspaceFailed("read the snapshots of", repoPath)),
    list: (repoPath) => withGit(registeredWorktrees(repoPath)),
    interruptedRemovals: (repoPath) =>
      Effect.mapError(
        Effect.map(removalIntents(repoPath), (intents) => intents.map(({ path, sessionId }) => ({ path, sessionId }))),
        workspaceFailed("read the interrupted removals of", repoPath)
      ),
    prune: (repoPath) => withGit(pruneRegistrations(repoPath))
  })
})

/** The Workspace over git, given a GitClient (tests may give a different one). */
export const makeGitWorkspaceLayer = (places: SnapshotPlaces): Layer.Layer<Workspace, never, GitClient> =>
  Layer.effect(Workspace, makeGitWorkspace(places))

/** The live Workspace: saved files go to `<dataDir>/saved`. */
export const makeGitWorkspaceLive = (options: {
  readonly dataDir: string
  readonly settings: SnapshotPlaces["settings"]
}): Layer.Layer<Workspace> =>
  makeGitWorkspaceLayer({ savedDir: join(options.dataDir, "saved"), settings: options.settings }).pipe(
    Layer.provide(GitClient.Default)
  )
