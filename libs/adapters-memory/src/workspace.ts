import {
  type BranchState,
  SnapshotFailed,
  snapshotRefAt,
  snapshotRefsOf,
  Workspace,
  WorkspaceFailed,
  type WorkspaceCreated,
  type WorkspaceSpec,
  type WorkspaceState,
  type WorkspaceTarget
} from "@ao/domain"
import { Clock, Context, Effect, Layer, Option } from "effect"

/** File contents by path relative to the worktree root ('/'-separated). */
export type Files = ReadonlyMap<string, Uint8Array>

export interface MemorySnapshot {
  readonly ref: string
  readonly repoPath: string
  readonly sessionId: string
  readonly worktreePath: string
  /** The commit the worktree was on: the snapshot's parent. */
  readonly head: string
  /** The branch HEAD was on; null when detached. */
  readonly headBranch: string | null
  /** The whole working tree at snapshot time, so a re-apply restores it exactly. */
  readonly files: Files
}

export interface MemoryRemoval {
  readonly path: string
  readonly sessionId: string
  readonly existed: boolean
  readonly snapshotRef: Option.Option<string>
}

export interface MemoryWorktree {
  readonly path: string
  readonly repoPath: string
  readonly head: BranchState
  /** False when it was deleted behind ao's back and only its registration is left. */
  readonly present: boolean
}

/**
 * What a test does to the in-memory worktrees behind ao's back (what an agent
 * or a user would do with an editor and git), and what it inspects afterwards.
 * Acting on a worktree that does not exist is a bug in the test: it dies.
 */
export class MemoryWorkspaceControl extends Context.Tag("@ao/adapters-memory/MemoryWorkspaceControl")<
  MemoryWorkspaceControl,
  {
    readonly writeFile: (worktree: string, file: string, content: string | Uint8Array) => Effect.Effect<void>
    readonly deleteFile: (worktree: string, file: string) => Effect.Effect<void>
    readonly readFile: (worktree: string, file: string) => Effect.Effect<Option.Option<Uint8Array>>
    /** `git add -A && git commit`: returns the new commit. */
    readonly commitAll: (worktree: string) => Effect.Effect<string>
    /** `git push -u`: the branch's upstream is now its head. */
    readonly push: (worktree: string) => Effect.Effect<void>
    /** `git switch -c` for a new branch (keeps the working files); a clean `git switch` for an existing one. */
    readonly switchBranch: (worktree: string, branch: string) => Effect.Effect<void>
    readonly detachHead: (worktree: string) => Effect.Effect<void>
    /** `rm -rf` of the worktree directory: git still has it registered. */
    readonly deleteWorktree: (worktree: string) => Effect.Effect<void>
    /** Puts something that is not a worktree at `path`. */
    readonly occupy: (path: string) => Effect.Effect<void>
    /**
     * A crash in the middle of `remove`: the work is snapshotted and the intent
     * recorded, then part of the files (the `.git` file among them) are gone.
     */
    readonly interruptRemoval: (target: WorkspaceTarget) => Effect.Effect<void>
    /** Every snapshot from now on fails with `reason` until `allowSnapshots`. */
    readonly failSnapshots: (reason: string) => Effect.Effect<void>
    readonly allowSnapshots: Effect.Effect<void>
    readonly snapshots: Effect.Effect<ReadonlyArray<MemorySnapshot>>
    readonly removals: Effect.Effect<ReadonlyArray<MemoryRemoval>>
    readonly worktrees: Effect.Effect<ReadonlyArray<MemoryWorktree>>
    readonly branches: (repoPath: string) => Effect.Effect<ReadonlyArray<string>>
  }
>() {}

interface Commit {
  readonly id: string
  readonly parent: string | undefined
  readonly files: Files
}

interface Repository {
  readonly branches: Map<string, string>
  readonly upstreams: Map<string, string>
  readonly snapshots: Map<string, MemorySnapshot>
  /** Snapshots a recreate has applied: kept, never applied again. */
  readonly applied: Map<string, MemorySnapshot>
}

interface Worktree {
  readonly repoPath: string
  head: { readonly _tag: "OnBranch"; readonly branch: string } | { readonly _tag: "Detached"; readonly commit: string }
  files: Map<string, Uint8Array>
  present: boolean
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i])

/**
 * A Workspace over an in-memory model of git: repositories with commits and
 * branches, worktrees with working files, snapshot refs. Any repository path
 * works: the first worktree made in it finds its base branch as an empty
 * commit, so use cases can be tested without setting a repository up. After
 * that it fails where git fails: an unknown base branch, a deleted branch,
 * a worktree of another repository. The state is plain
 * maps changed only inside single synchronous steps, so no step sees another
 * half done.
 */
export const makeMemoryWorkspace = Effect.sync(() => {
  const commits = new Map<string, Commit>()
  const repositories = new Map<string, Repository>()
  const worktrees = new Map<string, Worktree>()
  const occupied = new Set<string>()
  /** Removals interrupted midway, by path: they outlive the worktree's registration. */
  const interrupted = new Map<string, { readonly repoPath: string; readonly sessionId: string }>()
  const removals: Array<MemoryRemoval> = []
  let snapshotFailure: string | undefined

  const newCommit = (parent: string | undefined, files: Files): string => {
    const id = (commits.size + 1).toString(16).padStart(40, "0")
    commits.set(id, { id, parent, files: new Map(files) })
    return id
  }

  const commitOf = (id: string): Commit => {
    const commit = commits.get(id)
    if (commit === undefined) throw new Error(`unknown commit ${id}`)
    return commit
  }

  const repositoryAt = (repoPath: string): Repository => {
    const existing = repositories.get(repoPath)
    if (existing !== undefined) return existing
    const created: Repository = { branches: new Map(), upstreams: new Map(), snapshots: new Map(), applied: new Map() }
    repositories.set(repoPath, created)
    return created
  }

  /** A commit with no files, the head of a branch deleted under its worktree (git's unborn branch). */
  const unborn = newCommit(undefined, new Map())

  /** The commit HEAD is on; a deleted branch stays deleted, as in git. */
  const headOf = (worktree: Worktree): string =>
    worktree.head._tag === "Detached" ? worktree.head.commit : (repositoryAt(worktree.repoPath).branches.get(worktree.head.branch) ?? unborn)

  const liveWorktree = (path: string): Worktree | undefined => {
    const worktree = worktrees.get(path)
    return worktree?.present === true ? worktree : undefined
  }

  const controlled = (path: string): Worktree => {
    const worktree = liveWorktree(path)
    if (worktree === undefined) throw new Error(`MemoryWorkspaceControl: no worktree at ${path}`)
    return worktree
  }

  const isDirty = (worktree: Worktree): boolean => {
    const committed = commitOf(headOf(worktree)).files
    if (committed.size !== worktree.files.size) return true
    for (const [file, content] of worktree.files) {
      const before = committed.get(file)
      if (before === undefined || !sameBytes(before, content)) return true
    }
    return false
  }

  const countUnpushed = (repo: Repository, worktree: Worktree): number | null => {
    if (worktree.head._tag === "Detached") return null
    const upstream = repo.upstreams.get(worktree.head.branch)
    if (upstream === undefined) return null
    const pushed = new Set<string>()
    for (let id: string | undefined = upstream; id !== undefined; id = commitOf(id).parent) pushed.add(id)
    let count = 0
    for (let id: string | undefined = headOf(worktree); id !== undefined && !pushed.has(id); id = commitOf(id).parent) count++
    return count
  }

  const checkedOutElsewhere = (repoPath: string, branch: string, path: string): string | undefined => {
    for (const [other, worktree] of worktrees) {
      if (other !== path && worktree.repoPath === repoPath && worktree.head._tag === "OnBranch" && worktree.head.branch === branch) {
        return other
      }
    }
    return undefined
  }

  const repoPathOf = (target: WorkspaceTarget): string | undefined => target.repoPath ?? worktrees.get(target.path)?.repoPath

  const takeSnapshot = Effect.fn("MemoryWorkspace.snapshot")(function* (target: WorkspaceTarget) {
    const now = yield* Clock.currentTimeMillis
    const worktree = liveWorktree(target.path)
    if (worktree === undefined) {
      return yield* new SnapshotFailed({ path: target.path, detail: "the worktree does not exist" })
    }
    if (snapshotFailure !== undefined) return yield* new SnapshotFailed({ path: target.path, detail: snapshotFailure })
    // A HEAD anywhere but the session's branch is kept by a snapshot even when the tree is clean.
    const offBranch = target.branch !== undefined && (worktree.head._tag !== "OnBranch" || worktree.head.branch !== target.branch)
    if (!isDirty(worktree) && !offBranch) return Option.none<string>()
    const repo = repositoryAt(worktree.repoPath)
    let at = now
    while (repo.snapshots.has(snapshotRefAt(target.sessionId, at))) at++
    const ref = snapshotRefAt(target.sessionId, at)
    repo.snapshots.set(ref, {
      ref,
      repoPath: worktree.repoPath,
      sessionId: target.sessionId,
      worktreePath: target.path,
      head: headOf(worktree),
      headBranch: worktree.head._tag === "OnBranch" ? worktree.head.branch : null,
      files: new Map(worktree.files)
    })
    return Option.some(ref)
  })

  /** As git's adapter: an interrupted removal of the path must finish first; one whose files are all gone is forgotten. */
  const finishOrRefuseInterrupted = (operation: string, spec: WorkspaceSpec) =>
    Effect.suspend(() => {
      const intent = interrupted.get(spec.path)
      if (intent === undefined || intent.repoPath !== spec.repoPath) return Effect.void
      if (occupied.has(spec.path)) {
        return Effect.fail(
          new WorkspaceFailed({
            operation,
            path: spec.path,
            detail: `an earlier removal of it (session ${intent.sessionId}) was interrupted after its work was saved; finish it with ao session kill ${intent.sessionId} or ao doctor --fix, then run this again`
          })
        )
      }
      return Effect.sync(() => interrupted.delete(spec.path))
    })

  const create = Effect.fn("MemoryWorkspace.create")(function* (spec: WorkspaceSpec): Effect.fn.Return<WorkspaceCreated, WorkspaceFailed> {
    const failed = (detail: string) => new WorkspaceFailed({ operation: "create", path: spec.path, detail })
    yield* finishOrRefuseInterrupted("create", spec)
    const existing = worktrees.get(spec.path)
    if (existing?.present === true) {
      const onBranch = existing.repoPath === spec.repoPath && existing.head._tag === "OnBranch" && existing.head.branch === spec.branch
      if (onBranch) return { branchCreated: false }
      return yield* failed("the path is already a worktree of another branch or repository; choose another path or remove it")
    }
    if (occupied.has(spec.path)) {
      return yield* failed("the path exists and is not a worktree of this repository; move it away or choose another path")
    }
    const elsewhere = checkedOutElsewhere(spec.repoPath, spec.branch, spec.path)
    if (elsewhere !== undefined) {
      return yield* failed(`branch ${spec.branch} is already checked out at ${elsewhere}`)
    }
    const fresh = !repositories.has(spec.repoPath)
    const repo = repositoryAt(spec.repoPath)
    // A repository seen for the first time starts with its base branch, as a test's `git init` would make it.
    if (fresh) repo.branches.set(spec.baseBranch, newCommit(undefined, new Map()))
    const existed = repo.branches.has(spec.branch)
    const head = repo.branches.get(existed ? spec.branch : spec.baseBranch)
    if (head === undefined) return yield* failed(`invalid reference: ${spec.baseBranch} (no such branch in ${spec.repoPath})`)
    repo.branches.set(spec.branch, head)
    worktrees.set(spec.path, {
      repoPath: spec.repoPath,
      head: { _tag: "OnBranch", branch: spec.branch },
      files: new Map(commitOf(head).files),
      present: true
    })
    return existed ? { branchCreated: false } : { branchCreated: true, head }
  })

  const state = Effect.fn("MemoryWorkspace.state")(function* (path: string) {
    const worktree = liveWorktree(path)
    if (worktree === undefined) {
      return yield* new WorkspaceFailed({ operation: "read the state of", path, detail: "the worktree does not exist" })
    }
    const head = headOf(worktree)
    const committed = commitOf(head).files
    let changed = 0
    for (const [file, content] of committed) {
      const now = worktree.files.get(file)
      if (now === undefined || !sameBytes(now, content)) changed++
    }
    const untracked = [...worktree.files.keys()].filter((file) => !committed.has(file)).length
    const result: WorkspaceState = { head, changed, untracked, unpushed: countUnpushed(repositoryAt(worktree.repoPath), worktree) }
    return result
  })

  /** What git's adapter refuses to remove: something ao did not make, or not where the session says. */
  const vetRemoval = Effect.fn("MemoryWorkspace.vetRemoval")(function* (target: WorkspaceTarget) {
    const refused = (why: string) => new WorkspaceFailed({ operation: "remove", path: target.path, detail: `refused: ${why}` })
    if (target.worktreeDir !== undefined && !target.path.startsWith(`${target.worktreeDir.replace(/\/+$/, "")}/`)) {
      return yield* refused(`it is outside the worktree directory ${target.worktreeDir}`)
    }
    // Half removed: its work was saved before the removal began.
    if (interrupted.has(target.path)) return [] as ReadonlyArray<string>
    if (occupied.has(target.path)) return yield* refused("it is not a git worktree")
    const worktree = worktrees.get(target.path)
    if (worktree?.present === true && target.repoPath !== undefined && target.repoPath !== worktree.repoPath) {
      return yield* refused(`it belongs to the repository ${worktree.repoPath}, not ${target.repoPath}`)
    }
    return [] as ReadonlyArray<string>
  })

  const remove = Effect.fn("MemoryWorkspace.remove")(function* (target: WorkspaceTarget) {
    yield* vetRemoval(target)
    const worktree = worktrees.get(target.path)
    const repoPath = repoPathOf(target)
    const record = (removal: MemoryRemoval) => Effect.sync(() => removals.push(removal))
    if (interrupted.has(target.path)) {
      // Finishing an interrupted removal: the rest of the files go, nothing is snapshotted again.
      interrupted.delete(target.path)
      occupied.delete(target.path)
      worktrees.delete(target.path)
      yield* record({ path: target.path, sessionId: target.sessionId, existed: true, snapshotRef: Option.none() })
      return { existed: true, head: Option.none<string>(), snapshotRef: Option.none<string>(), notSaved: [] }
    }
    if (worktree === undefined || !worktree.present) {
      // Pruning: a registration whose directory is gone is forgotten.
      if (worktree !== undefined && repoPath === worktree.repoPath) worktrees.delete(target.path)
      yield* record({ path: target.path, sessionId: target.sessionId, existed: false, snapshotRef: Option.none() })
      return { existed: false, head: Option.none<string>(), snapshotRef: Option.none<string>(), notSaved: [] }
    }
    const snapshotRef = yield* takeSnapshot(target)
    const head = headOf(worktree)
    worktrees.delete(target.path)
    yield* record({ path: target.path, sessionId: target.sessionId, existed: true, snapshotRef })
    return { existed: true, head: Option.some(head), snapshotRef, notSaved: [] }
  })

  const recreate = Effect.fn("MemoryWorkspace.recreate")(function* (
    spec: WorkspaceSpec & { readonly snapshotRef: Option.Option<string> }
  ) {
    const failed = (detail: string) => new WorkspaceFailed({ operation: "recreate", path: spec.path, detail })
    yield* finishOrRefuseInterrupted("recreate", spec)
    if (liveWorktree(spec.path) !== undefined) return yield* failed("the worktree still exists; there is nothing to recreate")
    const stale = worktrees.get(spec.path)
    if (stale !== undefined && stale.repoPath === spec.repoPath) worktrees.delete(spec.path)
    const repo = repositoryAt(spec.repoPath)
    if (!repo.branches.has(spec.branch)) {
      return yield* failed(`branch ${spec.branch} does not exist in ${spec.repoPath}`)
    }
    const ref = Option.getOrUndefined(spec.snapshotRef)
    const snapshot = ref === undefined ? undefined : repo.snapshots.get(ref)
    if (ref !== undefined && snapshot === undefined && !repo.applied.has(ref)) {
      return yield* failed(`snapshot ${ref} does not exist in ${spec.repoPath}`)
    }
    yield* create(spec)
    if (ref === undefined || snapshot === undefined) return { snapshotApplied: false }
    // Only onto the commit it was taken from: over newer commits it would revert them.
    const offBranch = snapshot.headBranch !== spec.branch
    if (!offBranch && snapshot.head !== repo.branches.get(spec.branch)) return { snapshotApplied: false }
    const worktree = controlled(spec.path)
    if (offBranch) worktree.head = { _tag: "Detached", commit: snapshot.head }
    worktree.files = new Map(snapshot.files)
    repo.snapshots.delete(ref)
    repo.applied.set(ref, snapshot)
    return { snapshotApplied: true }
  })

  const workspace = Workspace.of({
    create,
    deleteBranch: ({ branch, expectedHead, repoPath }) =>
      Effect.sync(() => {
        const branches = repositoryAt(repoPath).branches
        if (branches.get(branch) !== expectedHead) return false
        branches.delete(branch)
        return true
      }),
    branchHead: ({ branch, repoPath }) => Effect.sync(() => Option.fromNullable(repositoryAt(repoPath).branches.get(branch))),
    exists: (path) => Effect.sync(() => liveWorktree(path) !== undefined),
    occupied: (path) => Effect.sync(() => liveWorktree(path) !== undefined || occupied.has(path)),
    currentBranch: (path) =>
      Effect.sync((): BranchState => {
        const worktree = liveWorktree(path)
        if (worktree === undefined) return { _tag: "Missing" }
        return worktree.head
      }),
    state,
    snapshot: takeSnapshot,
    vetRemoval,
    remove,
    recreate,
    latestSnapshot: ({ repoPath, sessionId }) =>
      Effect.sync(() => {
        const prefix = snapshotRefsOf(sessionId)
        const refs = [...repositoryAt(repoPath).snapshots.keys()].filter((ref) => ref.startsWith(prefix)).sort()
        return Option.fromNullable(refs.at(-1))
      }),
    list: (repoPath) =>
      Effect.sync(() =>
        [...worktrees]
          .filter(([, worktree]) => worktree.repoPath === repoPath)
          .map(([path, worktree]) => ({
            path,
            // git still names the branch of a registration whose directory is gone.
            branch: worktree.head._tag === "OnBranch" ? worktree.head.branch : null,
            prunable: !worktree.present
          }))
      ),
    interruptedRemovals: (repoPath) =>
      Effect.sync(() =>
        [...interrupted].filter(([, intent]) => intent.repoPath === repoPath).map(([path, intent]) => ({ path, sessionId: intent.sessionId }))
      ),
    prune: (repoPath) =>
      Effect.sync(() => {
        for (const [path, worktree] of worktrees) {
          if (worktree.repoPath === repoPath && !worktree.present) worktrees.delete(path)
        }
      })
  })

  const control = MemoryWorkspaceControl.of({
    writeFile: (path, file, content) =>
      Effect.sync(() => {
        controlled(path).files.set(file, typeof content === "string" ? new TextEncoder().encode(content) : Uint8Array.from(content))
      }),
    deleteFile: (path, file) =>
      Effect.sync(() => {
        controlled(path).files.delete(file)
      }),
    readFile: (path, file) => Effect.sync(() => Option.fromNullable(controlled(path).files.get(file))),
    commitAll: (path) =>
      Effect.sync(() => {
        const worktree = controlled(path)
        const id = newCommit(headOf(worktree), worktree.files)
        if (worktree.head._tag === "OnBranch") repositoryAt(worktree.repoPath).branches.set(worktree.head.branch, id)
        else worktree.head = { _tag: "Detached", commit: id }
        return id
      }),
    push: (path) =>
      Effect.sync(() => {
        const worktree = controlled(path)
        if (worktree.head._tag === "Detached") throw new Error(`MemoryWorkspaceControl: ${path} has a detached HEAD`)
        repositoryAt(worktree.repoPath).upstreams.set(worktree.head.branch, headOf(worktree))
      }),
    switchBranch: (path, branch) =>
      Effect.sync(() => {
        const worktree = controlled(path)
        const repo = repositoryAt(worktree.repoPath)
        const target = repo.branches.get(branch)
        if (target === undefined) repo.branches.set(branch, headOf(worktree))
        else worktree.files = new Map(commitOf(target).files)
        worktree.head = { _tag: "OnBranch", branch }
      }),
    detachHead: (path) =>
      Effect.sync(() => {
        const worktree = controlled(path)
        worktree.head = { _tag: "Detached", commit: headOf(worktree) }
      }),
    deleteWorktree: (path) =>
      Effect.sync(() => {
        const worktree = controlled(path)
        worktree.present = false
        worktree.files = new Map()
      }),
    occupy: (path) =>
      Effect.sync(() => {
        occupied.add(path)
      }),
    interruptRemoval: (target) =>
      Effect.gen(function* () {
        const worktree = controlled(target.path)
        yield* Effect.orDie(vetRemoval(target))
        yield* Effect.orDie(takeSnapshot(target))
        interrupted.set(target.path, { repoPath: worktree.repoPath, sessionId: target.sessionId })
        // What is left is no worktree any more, only files in the way.
        worktree.present = false
        worktree.files = new Map()
        occupied.add(target.path)
      }),
    failSnapshots: (reason) =>
      Effect.sync(() => {
        snapshotFailure = reason
      }),
    allowSnapshots: Effect.sync(() => {
      snapshotFailure = undefined
    }),
    snapshots: Effect.sync(() => [...repositories.values()].flatMap((repo) => [...repo.snapshots.values(), ...repo.applied.values()])),
    removals: Effect.sync(() => [...removals]),
    worktrees: Effect.sync(() =>
      [...worktrees].map(([path, worktree]) => ({
        path,
        repoPath: worktree.repoPath,
        head: worktree.present ? worktree.head : { _tag: "Missing" as const },
        present: worktree.present
      }))
    ),
    branches: (repoPath) => Effect.sync(() => [...repositoryAt(repoPath).branches.keys()].sort())
  })

  return { workspace, control }
})

export const MemoryWorkspace = {
  /** The Workspace and its control, sharing one in-memory state. */
  layer: Layer.effectContext(
    Effect.map(makeMemoryWorkspace, ({ control, workspace }) =>
      Context.make(Workspace, workspace).pipe(Context.add(MemoryWorkspaceControl, control))
    )
  )
}
