import type { NotAGitRepository, ToolMissing, WorkspaceFailed } from "@ao/domain"
import { Effect, type Option } from "effect"
import { GitClient } from "./git-client"
import { repositoryFailure } from "./git-failures"
import { githubRepoOfRemote } from "./github-remote"
import { branchStateOf } from "./worktree-files"

export interface DetectedRepository {
  /** The top of the working tree containing `cwd`. */
  readonly root: string
  /** What new session branches start from. */
  readonly defaultBranch: string
  /** `owner/name` when `origin` is on GitHub. */
  readonly githubRepo: Option.Option<string>
  /** False in a repository with no commit yet: no session branch could start anywhere. */
  readonly hasCommits: boolean
}

/** When the repository has neither a remote HEAD nor a branch checked out. */
const FALLBACK_BRANCH = "main"

/**
 * The repository `ao init` is run in, and its default branch: the remote's
 * (`origin/HEAD`) when there is one, else the branch checked out, else main.
 * Reads `origin`'s URL only; nothing goes over the network.
 */
export const detectRepository = (
  cwd: string
): Effect.Effect<DetectedRepository, NotAGitRepository | ToolMissing | WorkspaceFailed> =>
  Effect.gen(function* () {
    const git = yield* GitClient
    const root = yield* git.run(["-C", cwd, "rev-parse", "--show-toplevel"])
    // Prints the name itself, and succeeds, when there is no such remote.
    const githubRepo = githubRepoOfRemote(yield* git.run(["-C", root, "ls-remote", "--get-url", "origin"]))
    // Prints nothing, and succeeds, when no ref points at a commit.
    const hasCommits = (yield* git.run(["-C", root, "rev-list", "-n", "1", "--all"])).trim() !== ""
    const remoteHead = yield* git.run(["-C", root, "for-each-ref", "--format=%(symref:lstrip=3)", "refs/remotes/origin/HEAD"])
    if (remoteHead.trim() !== "") return { root, defaultBranch: remoteHead.trim(), githubRepo, hasCommits }
    const head = yield* branchStateOf(root)
    return { root, defaultBranch: head._tag === "OnBranch" ? head.branch : FALLBACK_BRANCH, githubRepo, hasCommits }
  }).pipe(Effect.mapError(repositoryFailure("inspect", cwd)), Effect.provide(GitClient.Default))

