import { NotAGitRepository, SnapshotFailed, ToolMissing, WorkspaceFailed } from "@ao/domain"
import type { GitCommandFailed, GitNotFound } from "./git-client"
import type { KeptFilesFailed } from "./kept-files"
import type { GitFileUnreadable } from "./worktree-files"

/** What can go wrong inside this adapter; the port only ever sees domain errors. */
export type GitFailure = GitCommandFailed | GitNotFound | GitFileUnreadable | KeptFilesFailed

/** The git-side failure as a WorkspaceFailed: git's own words say what went wrong. */
export const workspaceFailed = (operation: string, path: string) => (failure: GitFailure) =>
  new WorkspaceFailed({ operation, path, detail: failure.message })

export const snapshotFailed = (path: string) => (failure: GitFailure) => new SnapshotFailed({ path, detail: failure.message })

/**
 * For the functions outside the port (`ao init`, `ao doctor`): a missing git
 * and a directory outside any repository are errors of their own.
 */
export const repositoryFailure =
  (operation: string, path: string) =>
  (failure: GitFailure): ToolMissing | NotAGitRepository | WorkspaceFailed => {
    if (failure._tag === "GitNotFound") return new ToolMissing({ tool: "git" })
    if (failure._tag === "GitCommandFailed" && /not a git repository/i.test(failure.stderr)) {
      return new NotAGitRepository({ path })
    }
    return workspaceFailed(operation, path)(failure)
  }
