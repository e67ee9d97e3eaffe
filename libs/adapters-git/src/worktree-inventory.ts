import { type RegisteredWorktree, ToolMissing, WorkspaceFailed } from "@ao/domain"
import { Effect } from "effect"
import { GitClient } from "./git-client"
import type { GitFailure } from "./git-failures"
import { parseWorktreeList } from "./worktree-list"

/** A missing git is its own finding for `ao doctor`; anything else is git's own words. */
const inventoryFailure = (operation: string, repoPath: string) => (failure: GitFailure) =>
  failure._tag === "GitNotFound" ? new ToolMissing({ tool: "git" }) : new WorkspaceFailed({ operation, path: repoPath, detail: failure.message })

/** The linked worktrees of a repository: git lists the main worktree first, and it is not ours. */
export const registeredWorktrees = (repoPath: string): Effect.Effect<ReadonlyArray<RegisteredWorktree>, WorkspaceFailed | ToolMissing, GitClient> =>
  GitClient.pipe(
    Effect.flatMap((git) => git.run(["-C", repoPath, "worktree", "list", "--porcelain", "-z"])),
    Effect.map((output) =>
      parseWorktreeList(output)
        .slice(1)
        .filter((worktree) => !worktree.bare)
        .map((worktree) => ({ path: worktree.path, branch: worktree.branch, prunable: worktree.prunable }))
    ),
    Effect.mapError(inventoryFailure("list the worktrees of", repoPath))
  )

export const pruneRegistrations = (repoPath: string): Effect.Effect<void, WorkspaceFailed | ToolMissing, GitClient> =>
  GitClient.pipe(
    Effect.flatMap((git) => git.run(["-C", repoPath, "worktree", "prune"])),
    Effect.asVoid,
    Effect.mapError(inventoryFailure("prune the worktrees of", repoPath))
  )
