import { Context, DateTime, type Effect, type Option } from "effect"
import type { SnapshotFailed, ToolMissing, WorkspaceFailed } from "../errors"

/** The live branch of a worktree, read from its HEAD. */
export type BranchState =
  | { readonly _tag: "OnBranch"; readonly branch: string }
  | { readonly _tag: "Detached"; readonly commit: string }
  | { readonly _tag: "Missing" }
  /** Something is there, but its HEAD cannot be read (permissions, I/O): shown, never hidden. */
  | { readonly _tag: "Unreadable"; readonly detail: string }

export interface WorkspaceState {
  readonly head: string
  /** Tracked files with changes (staged or not). */
  readonly changed: number
  readonly untracked: number
  /** Commits not on the upstream; null when the branch has no upstream. */
  readonly unpushed: number | null
}

export interface WorkspaceSpec {
  readonly repoPath: string
  readonly path: string
  readonly branch: string
  readonly baseBranch: string
}

/** What `create` did: the commit a branch it created starts on, so a rollback can delete exactly that. */
export type WorkspaceCreated =
  | { readonly branchCreated: false }
  | { readonly branchCreated: true; readonly head: string }

export interface WorkspaceTarget {
  readonly path: string
  readonly sessionId: string
  /** The main repository; when absent it is found from the worktree's `.git` file. */
  readonly repoPath?: string
  /** The branch the session is on: a HEAD anywhere else is kept by a snapshot even when the tree is clean. */
  readonly branch?: string
  /** Where ao makes worktrees: anything outside is never removed. */
  readonly worktreeDir?: string
  /** Remove even what would not be saved (files over the size limit); they are named in the removal. */
  readonly force?: boolean
}

export interface Removal {
  /** False when there was no worktree to remove (an interrupted removal run again). */
  readonly existed: boolean
  /** The commit the worktree was on when removed. */
  readonly head: Option.Option<string>
  /** Where its uncommitted and untracked work was saved; none when it was clean. */
  readonly snapshotRef: Option.Option<string>
  /** What was removed without being saved (only with `force`), each with why. */
  readonly notSaved: ReadonlyArray<string>
}

/** A linked worktree git has registered for a repository, for `ao doctor`. */
export interface RegisteredWorktree {
  readonly path: string
  /** Null when detached. */
  readonly branch: string | null
  /** Its directory is gone; only git's registration is left. */
  readonly prunable: boolean
}

/**
 * A removal that began (its work was saved, the intent recorded) and did not
 * finish: a crash or a full disk left part of the worktree behind, perhaps
 * without its registration. Removing the path again finishes it.
 */
export interface InterruptedRemoval {
  readonly path: string
  /** The session it was removed for: its snapshots are under this name. */
  readonly sessionId: string
}

/** Where a session's snapshots live in the main repository; the trailing '/' keeps `ao-1` from matching `ao-10`. */
export const snapshotRefsOf = (sessionId: string): string => `refs/ao/snapshots/${sessionId}/`

/**
 * The snapshot ref for a moment: `refs/ao/snapshots/ao-1/20261123T231500123Z`.
 * Fixed width, so refs sort by time as plain strings; an adapter whose ref is
 * taken tries the next millisecond.
 */
export const snapshotRefAt = (sessionId: string, epochMillis: number): string =>
  `${snapshotRefsOf(sessionId)}${DateTime.formatIso(DateTime.unsafeMake(epochMillis)).replace(/[-:.]/g, "")}`

/**
 * Git worktrees. Nothing is lost: `remove` snapshots everything the worktree
 * holds to `refs/ao/snapshots/<session>/<timestamp>` (files git does not keep
 * go to a private store of the same name) first, and refuses when it cannot.
 * Nothing is removed that ao did not make.
 */
export class Workspace extends Context.Tag("@ao/domain/Workspace")<
  Workspace,
  {
    /** A worktree on `branch`, created from `baseBranch` when the branch does not exist yet. */
    readonly create: (spec: WorkspaceSpec) => Effect.Effect<WorkspaceCreated, WorkspaceFailed>
    /**
     * Deletes `branch` only while it still points at `expectedHead`, in one
     * atomic step: a branch that gained commits (or is gone) is kept, and the
     * answer is false. Remove the worktree on the branch first.
     */
    readonly deleteBranch: (branch: {
      readonly repoPath: string
      readonly branch: string
      readonly expectedHead: string
    }) => Effect.Effect<boolean, WorkspaceFailed>
    /** The commit `branch` points at; none when there is no such branch. */
    readonly branchHead: (branch: { readonly repoPath: string; readonly branch: string }) => Effect.Effect<Option.Option<string>, WorkspaceFailed>
    readonly exists: (path: string) => Effect.Effect<boolean>
    /** Something other than an empty directory is at `path` (a worktree or anything else): a new worktree cannot go there. */
    readonly occupied: (path: string) => Effect.Effect<boolean, WorkspaceFailed>
    /** Read from the worktree's HEAD without a subprocess. */
    readonly currentBranch: (path: string) => Effect.Effect<BranchState>
    readonly state: (path: string) => Effect.Effect<WorkspaceState, WorkspaceFailed>
    /** Saves uncommitted and untracked work; none when the worktree is clean. */
    readonly snapshot: (target: WorkspaceTarget) => Effect.Effect<Option.Option<string>, SnapshotFailed>
    /**
     * Checks, before anything is touched, that `remove` may remove the target:
     * fails with WorkspaceFailed when ao did not make it or it is not where it
     * should be, with SnapshotFailed naming what would not be saved (unless
     * `force`). Answers what would not be saved.
     */
    readonly vetRemoval: (target: WorkspaceTarget) => Effect.Effect<ReadonlyArray<string>, SnapshotFailed | WorkspaceFailed>
    readonly remove: (target: WorkspaceTarget) => Effect.Effect<Removal, SnapshotFailed | WorkspaceFailed>
    /**
     * Rebuilds a deleted worktree from its branch and re-applies a snapshot onto
     * it, only onto the commit it was taken from, and only once.
     */
    readonly recreate: (
      spec: WorkspaceSpec & { readonly snapshotRef: Option.Option<string> }
    ) => Effect.Effect<{ readonly snapshotApplied: boolean }, WorkspaceFailed>
    readonly latestSnapshot: (target: {
      readonly repoPath: string
      readonly sessionId: string
    }) => Effect.Effect<Option.Option<string>, WorkspaceFailed>
    /** Every linked worktree of the repository (the main one excluded), ones whose directory is gone included. */
    readonly list: (repoPath: string) => Effect.Effect<ReadonlyArray<RegisteredWorktree>, WorkspaceFailed | ToolMissing>
    /**
     * Removals of the repository's worktrees that were interrupted midway
     * (`ao doctor`). They survive `prune`; `remove` of the path finishes one,
     * and `create`/`recreate` at the path refuse until then.
     */
    readonly interruptedRemovals: (repoPath: string) => Effect.Effect<ReadonlyArray<InterruptedRemoval>, WorkspaceFailed>
    /** Forgets the registrations whose directory is gone (`git worktree prune`); interrupted removals stay known. */
    readonly prune: (repoPath: string) => Effect.Effect<void, WorkspaceFailed | ToolMissing>
  }
>() {}
