import type { NotAGitRepository, ToolMissing, WorkspaceFailed } from "@ao/domain"
import { Effect } from "effect"
import { GitClient } from "./git-client"
import { repositoryFailure } from "./git-failures"

/** One entry of `git worktree list`, for drift detection (`ao doctor`). */
export interface ListedWorktree {
  readonly path: string
  /** None for a bare repository's entry. */
  readonly head: string | null
  /** The short branch name; null when detached or bare. */
  readonly branch: string | null
  readonly bare: boolean
  readonly locked: boolean
  /** git would prune it: its directory is gone. */
  readonly prunable: boolean
}

/**
 * Parses `git worktree list --porcelain -z`: NUL-terminated `key value`
 * lines, an empty line between worktrees.
 */
export const parseWorktreeList = (output: string): ReadonlyArray<ListedWorktree> => {
  const worktrees: Array<ListedWorktree> = []
  let current: { -readonly [K in keyof ListedWorktree]: ListedWorktree[K] } | undefined
  for (const line of output.split("\0")) {
    if (line === "") {
      if (current !== undefined) worktrees.push(current)
      current = undefined
      continue
    }
    const space = line.indexOf(" ")
    const key = space === -1 ? line : line.slice(0, space)
    const value = space === -1 ? "" : line.slice(space + 1)
    if (key === "worktree") {
      current = { path: value, head: null, branch: null, bare: false, locked: false, prunable: false }
    } else if (current !== undefined) {
      if (key === "HEAD") current.head = value
      else if (key === "branch") current.branch = value.replace(/^refs\/heads\//, "")
      else if (key === "bare") current.bare = true
      else if (key === "locked") current.locked = true
      else if (key === "prunable") current.prunable = true
    }
  }
  if (current !== undefined) worktrees.push(current)
  return worktrees
}

/** Every worktree git has registered for the repository, including ones whose directory is gone. */
export const listWorktrees = (
  repoPath: string
): Effect.Effect<ReadonlyArray<ListedWorktree>, ToolMissing | WorkspaceFailed | NotAGitRepository> =>
  GitClient.pipe(
    Effect.flatMap((git) => git.run(["-C", repoPath, "worktree", "list", "--porcelain", "-z"])),
    Effect.map(parseWorktreeList),
    Effect.mapError(repositoryFailure("inspect", repoPath)),
    Effect.provide(GitClient.Default)
  )
