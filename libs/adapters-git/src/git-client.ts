import { Data, Effect } from "effect"
import { spawn } from "node:child_process"

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

/** How one git process ended. */
interface GitOutcome {
  readonly stdout: string
  readonly stderr: string
  /** Undefined when git did not run or was killed by a signal. */
  readonly exitCode: number | undefined
  /** Set when git could not be started at all (ENOENT: not installed). */
  readonly spawnError: NodeJS.ErrnoException | undefined
}

/** Output as callers read it: without its final newline. */
const withoutFinalNewline = (text: string): string => text.replace(/\r?\n$/, "")

/** Runs git to its end, killed when `signal` aborts (ao was interrupted); reports through `done`, once. */
const runGit = (
  args: ReadonlyArray<string>,
  env: Record<string, string | undefined>,
  input: string | undefined,
  signal: AbortSignal,
  done: (outcome: GitOutcome) => void
): void => {
  const child = spawn("git", args, { cwd: "/", env, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] })
  const stdout: Array<Buffer> = []
  const stderr: Array<Buffer> = []
  let settled = false
  const settle = (exitCode: number | undefined, spawnError?: NodeJS.ErrnoException) => {
    if (settled) return
    settled = true
    signal.removeEventListener("abort", abort)
    done({
      stdout: withoutFinalNewline(Buffer.concat(stdout).toString("utf8")),
      stderr: withoutFinalNewline(Buffer.concat(stderr).toString("utf8")),
      exitCode,
      spawnError
    })
  }
  const abort = () => child.kill("SIGTERM")
  signal.addEventListener("abort", abort, { once: true })
  child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk))
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk))
  child.on("error", (error: NodeJS.ErrnoException) => {
    // Only a failure to start ends the run here; any other error is followed by "close".
    if (child.pid === undefined) settle(undefined, error)
  })
  child.on("close", (code) => settle(code ?? undefined))
  // git may exit before reading all of it; its exit status says what happened.
  child.stdin?.on("error", () => {})
  child.stdin?.end(input)
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
      Effect.flatMap(
        Effect.async<GitOutcome>((resume, signal) => {
          runGit(args, childEnvironment(options.env ?? {}), options.input, signal, (outcome) => resume(Effect.succeed(outcome)))
        }),
        (result): Effect.Effect<string, GitCommandFailed | GitNotFound> => {
          if (result.exitCode === 0) return Effect.succeed(result.stdout)
          if (result.spawnError?.code === "ENOENT") return Effect.fail(new GitNotFound({ cause: result.spawnError }))
          return Effect.fail(
            new GitCommandFailed({
              args,
              exitCode: result.exitCode,
              stderr: result.spawnError === undefined ? result.stderr : result.spawnError.message,
              cause: result.spawnError ?? result
            })
          )
        }
      )
  }
}) {}
