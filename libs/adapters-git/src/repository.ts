import type { NotAGitRepository, ToolMissing, WorkspaceFailed } from "@ao/domain"
import { Effect } from "effect"
import { GitClient } from "./git-client"
import { repositoryFailure } from "./git-failures"
import { branchStateOf } from "./worktree-files"

export interface DetectedRepository {
  /** The top of the working tree containing `cwd`. */
  readonly root: string
  /** What new session branches start from. */
  readonly defaultBranch: string
}

/** When the repository has neither a remote HEAD nor a branch checked out. */
const FALLBACK_BRANCH = "main"

/**
 * The repository `ao init` is run in, and its default branch: the remote's
 * (`origin/HEAD`) when there is one, else the branch checked out, else main.
 */
export const detectRepository = (
  cwd: string
): Effect.Effect<DetectedRepository, NotAGitRepository | ToolMissing | WorkspaceFailed> =>
  Effect.gen(function* () {
    const git = yield* GitClient
    const root = yield* git.run(["-C", cwd, "rev-parse", "--show-toplevel"])
    const remoteHead = yield* git.run(["-C", root, "for-each-ref", "--format=%(symref:lstrip=3)", "refs/remotes/origin/HEAD"])
    if (remoteHead.trim() !== "") return { root, defaultBranch: remoteHead.trim() }
    const head = yield* branchStateOf(root)
    return { root, defaultBranch: head._tag === "OnBranch" ? head.branch : FALLBACK_BRANCH }
  }).pipe(Effect.mapError(repositoryFailure("inspect", cwd)), Effect.provide(GitClient.Default))

