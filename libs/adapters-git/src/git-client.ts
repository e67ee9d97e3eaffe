import { Data, Effect } from "effect"
import { execa } from "execa"

/** An argument as a reader can copy it: quoted when empty or holding spaces or quotes. */
const showArgument = (arg: string): string => (/^[\w@%+=:,./^{}-]+$/.test(arg) ? arg : JSON.stringify(arg))

/** git ran and exited non-zero. */
export class GitCommandFailed extends Data.TaggedError("GitCommandFailed")<{
  readonly args: ReadonlyArray<string>
  readonly exitCode: number | undefined
  readonly stderr: string
  readonly cause: unknown
}> {
  override get message() {
    const code = this.exitCode === undefined ? "was killed" : `exited ${this.exitCode}`
    return `git ${this.args.map(showArgument).join(" ")} ${code}: ${this.stderr.trim() || "no error output"}`
  }
}

/** git could not be started at all. */
export class GitNotFound extends Data.TaggedError("GitNotFound")<{ readonly cause: unknown }> {
  override get message() {
    return "git is not installed or not on PATH"
  }
}

export interface GitRunOptions {
  /** Added to the environment, e.g. `GIT_INDEX_FILE` for a private index. */
  readonly env?: Readonly<Record<string, string>>
  /** Given to git on its standard input. */
  readonly input?: string
}

/**
 * Variables that point git at another repository or index. Inherited from a
 * git hook or an outer tool they would send every command somewhere else, so
 * they are never passed on; callers set them deliberately through `env`.
 */
const REDIRECTING_VARIABLES = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY"]

const childEnvironment = (extra: Readonly<Record<string, string>>): Record<string, string | undefined> => {
  const env: Record<string, string | undefined> = { ...process.env }
  for (const name of REDIRECTING_VARIABLES) delete env[name]
  return { ...env, ...extra }
}

/**
 * The one way this adapter runs git: an argument array, never a shell
 * string, failing on a non-zero exit with the command, its code and stderr.
 * Pass `-C <dir>` rather than a cwd, so a spawn failure always means git is
 * missing and a bad directory is reported by git itself. git starts in `/`,
 * which always exists: the caller's own directory may be the worktree being
 * removed (`ao session kill` run inside it).
 */
export class GitClient extends Effect.Service<GitClient>()("@ao/adapters-git/GitClient", {
  succeed: {
    run: (args: ReadonlyArray<string>, options: GitRunOptions = {}): Effect.Effect<string, GitCommandFailed | GitNotFound> =>
      Effect.gen(function* () {
        // With `reject: false` execa reports every failure in its result; a rejection would be a bug, so a defect.
        const result = yield* Effect.promise((signal) =>
          execa("git", args, {
            cwd: "/",
            env: childEnvironment(options.env ?? {}),
            extendEnv: false,
            reject: false,
            cancelSignal: signal,
            ...(options.input === undefined ? {} : { input: options.input })
          })
        )
        if (!result.failed) return result.stdout
        if (result.code === "ENOENT") return yield* new GitNotFound({ cause: result })
        return yield* new GitCommandFailed({ args, exitCode: result.exitCode, stderr: result.stderr, cause: result })
      })
  }
}) {}
