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
import { mkdir, readdir, realpath } from "node:fs/promises"
import { dirname } from "node:path"
import { GitClient } from "./git-client"
import { snapshotFailed, workspaceFailed } from "./git-failures"
import { applySnapshot, latestSnapshot, snapshotExists, takeSnapshot } from "./snapshot"
import { branchStateOf, gitDirOf, mainRepositoryOf } from "./worktree-files"
import { retryWhenPrunedMidAdd } from "./worktree-add-race"
import { pruneRegistrations, registeredWorktrees } from "./worktree-inventory"
import { parseStatus } from "./worktree-status"

const describeHead = (state: BranchState): string =>
  state._tag === "OnBranch" ? `branch ${state.branch}` : state._tag === "Detached" ? `detached commit ${state.commit}` : "nothing"

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
 * and uses `--force` only once the work is saved.
 */
export const makeGitWorkspace = Effect.gen(function* () {
  const git = yield* GitClient
  const withGit = <A, E>(effect: Effect.Effect<A, E, GitClient>): Effect.Effect<A, E> =>
    Effect.provideService(effect, GitClient, git)

  const currentBranch = (path: string): Effect.Effect<BranchState> =>
    // An unreadable HEAD (permissions, I/O) is not a state a listing can show: it is a defect.
    Effect.orDie(branchStateOf(path))

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

  const create = Effect.fn("GitWorkspace.create")(function* (
    spec: WorkspaceSpec
  ): Effect.fn.Return<WorkspaceCreated, WorkspaceFailed> {
    const failed = (detail: string) => new WorkspaceFailed({ operation: "create", path: spec.path, detail })
    const current = yield* currentBranch(spec.path)
    if (current._tag !== "Missing") {
      // Already there from an interrupted run of the same spawn: nothing to do.
      const owner = yield* Effect.mapError(mainRepositoryOf(spec.path), workspaceFailed("create", spec.path))
      const ours = Option.isSome(owner) && (yield* Effect.mapError(sameDirectory(owner.value, spec.repoPath), fsFailure("create", spec.path)))
      if (ours && current._tag === "OnBranch" && current.branch === spec.branch) return { branchCreated: false }
      return yield* failed(
        `it is already a worktree (of ${Option.getOrElse(owner, () => "another repository")}, on ${describeHead(current)}); remove it or choose another path`
      )
    }
    if (yield* Effect.mapError(isOccupied(spec.path), fsFailure("create", spec.path))) {
      return yield* failed(`the path exists and is not a worktree of ${spec.repoPath}; move it away or choose another path`)
    }
    yield* Effect.tryPromise({ try: () => mkdir(dirname(spec.path), { recursive: true }), catch: fsFailure("create", spec.path) })
    return yield* Effect.gen(function* () {
      // A registration left by a worktree deleted behind git's back would block the path and the branch.
      yield* prune(spec.repoPath)
      if (yield* hasBranch(spec.repoPath, spec.branch)) {
        yield* git.run(["-C", spec.repoPath, "worktree", "add", "--", spec.path, spec.branch])
        return { branchCreated: false } as const
      }
      yield* git.run(["-C", spec.repoPath, "worktree", "add", "-b", spec.branch, "--", spec.path, spec.baseBranch])
      const head = yield* git.run(["-C", spec.path, "rev-parse", "--verify", "HEAD"])
      return { branchCreated: true, head: head.trim() } as const
    }).pipe(retryWhenPrunedMidAdd, Effect.mapError(workspaceFailed("create", spec.path)))
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

  /** The snapshot, with the head it was taken on; fails when there is no worktree to save. */
  const snapshotWithHead = Effect.fn("GitWorkspace.snapshot")(function* (target: WorkspaceTarget) {
    const failed = snapshotFailed(target.path)
    const gitDir = yield* Effect.mapError(gitDirOf(target.path), failed)
    if (Option.isNone(gitDir)) return yield* new SnapshotFailed({ path: target.path, detail: "the worktree does not exist" })
    return yield* Effect.mapError(withGit(takeSnapshot(target.path, gitDir.value, target.sessionId)), failed)
  })

  const remove = Effect.fn("GitWorkspace.remove")(function* (target: WorkspaceTarget) {
    const failed = workspaceFailed("remove", target.path)
    const repoPath = target.repoPath ?? Option.getOrUndefined(yield* Effect.mapError(mainRepositoryOf(target.path), failed))
    const present = (yield* currentBranch(target.path))._tag !== "Missing"
    if (!present || repoPath === undefined) {
      // Run again after an interruption, or deleted behind ao's back: only git's registration is left.
      if (repoPath !== undefined) yield* Effect.mapError(prune(repoPath), failed)
      return { existed: false, head: Option.none<string>(), snapshotRef: Option.none<string>() }
    }
    const { head, ref } = yield* snapshotWithHead(target)
    yield* Effect.mapError(
      Effect.zipRight(git.run(["-C", repoPath, "worktree", "remove", "--force", "--", target.path]), prune(repoPath)),
      failed
    )
    return { existed: true, head: Option.some(head), snapshotRef: ref }
  })

  const recreate = Effect.fn("GitWorkspace.recreate")(function* (
    spec: WorkspaceSpec & { readonly snapshotRef: Option.Option<string> }
  ) {
    const failed = (detail: string) => new WorkspaceFailed({ operation: "recreate", path: spec.path, detail })
    const gitFailed = workspaceFailed("recreate", spec.path)
    // Everything is checked before anything is created, so a refused request leaves nothing half done.
    if ((yield* currentBranch(spec.path))._tag !== "Missing") {
      // Re-applying a snapshot over a live worktree could overwrite newer work.
      return yield* failed("the worktree still exists; there is nothing to recreate")
    }
    if (!(yield* Effect.mapError(hasBranch(spec.repoPath, spec.branch), gitFailed))) {
      return yield* failed(`branch ${spec.branch} no longer exists in ${spec.repoPath}`)
    }
    if (
      Option.isSome(spec.snapshotRef) &&
      !(yield* Effect.mapError(withGit(snapshotExists(spec.repoPath, spec.snapshotRef.value)), gitFailed))
    ) {
      return yield* failed(`snapshot ${spec.snapshotRef.value} does not exist in ${spec.repoPath}`)
    }
    yield* create(spec)
    if (Option.isNone(spec.snapshotRef)) return { snapshotApplied: false }
    yield* Effect.mapError(withGit(applySnapshot(spec.path, spec.snapshotRef.value)), gitFailed)
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
    exists: (path) => Effect.map(currentBranch(path), (state) => state._tag !== "Missing"),
    occupied: (path) => Effect.mapError(isOccupied(path), fsFailure("inspect", path)),
    currentBranch,
    state,
    snapshot: (target) => Effect.map(snapshotWithHead(target), ({ ref }) => ref),
    remove,
    recreate,
    latestSnapshot: ({ repoPath, sessionId }) =>
      Effect.mapError(withGit(latestSnapshot(repoPath, sessionId)), workspaceFailed("read the snapshots of", repoPath)),
    list: (repoPath) => withGit(registeredWorktrees(repoPath)),
    prune: (repoPath) => withGit(pruneRegistrations(repoPath))
  })
})

/** The Workspace over git, given a GitClient (tests may give a different one). */
export const GitWorkspace: Layer.Layer<Workspace, never, GitClient> = Layer.effect(Workspace, makeGitWorkspace)

export const GitWorkspaceLive: Layer.Layer<Workspace> = GitWorkspace.pipe(Layer.provide(GitClient.Default))
