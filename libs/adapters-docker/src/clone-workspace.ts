import { Data, Effect } from "effect"
import { execFile } from "node:child_process"
import { cp, mkdtemp, readdir, rm, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { basename, join } from "node:path"

/**
 * The `clone` workspace of the docker runtime, for engines that cannot see
 * this machine's disk: the session's volume holds a clone of the project at
 * the session branch, and the local worktree is its staging copy.
 *
 * - **Fill** (a fresh volume): a clone of the repository at the worktree's
 *   HEAD, with the worktree's files exactly as they are (uncommitted,
 *   untracked and ignored files included: after `restore --recreate` they are
 *   the snapshot's), is streamed into the volume as a tar through the
 *   engine's archive endpoint.
 * - **Bring back** (before the volume is removed): the volume is streamed out
 *   the same way; the clone's branches and HEAD are fetched into the local
 *   repository under `refs/ao/clones/<session>/`, the local worktree's
 *   branch moves to the clone's HEAD, and its files become the volume's. The
 *   git workspace then snapshots and removes the worktree as for every
 *   session, so the work ends in `refs/ao/snapshots/<session>/` exactly as in
 *   the worktree mode, and `restore --recreate` rebuilds from it.
 */

/** A step of filling or bringing back a clone failed; `detail` says which and why. */
export class CloneFailed extends Data.TaggedError("CloneFailed")<{ readonly detail: string }> {
  override get message() {
    return this.detail
  }
}

/** Where the clone's branches and HEAD land in the local repository. */
export const cloneRefsOf = (session: string): string => `refs/ao/clones/${session}/`

const git = (cwd: string, args: ReadonlyArray<string>) =>
  Effect.async<string, CloneFailed>((resume) => {
    execFile("git", ["-C", cwd, ...args], { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } }, (error, stdout, stderr) => {
      if (error === null) resume(Effect.succeed(stdout.trim()))
      else resume(Effect.fail(new CloneFailed({ detail: `git ${args.join(" ")} failed in ${cwd}: ${(stderr || error.message).trim()}` })))
    })
  })

/** For questions whose "no" is a failing exit (no such config key, a detached HEAD): empty then. */
const gitMaybe = (cwd: string, args: ReadonlyArray<string>) =>
  Effect.catchTag(git(cwd, args), "CloneFailed", () => Effect.succeed(""))

const io = <A>(what: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (cause) => new CloneFailed({ detail: `${what}: ${(cause as Error).message}` }) })

/** A temp directory for one transfer, removed afterwards whatever happens. */
export const withTransferDir = <A, E, R>(use: (dir: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    io("cannot make a temp directory", () => mkdtemp(join(tmpdir(), "ao-clone-"))),
    use,
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }).catch(() => undefined))
  )

/** Copies every entry of `from` but `.git` into `to` (symlinks as they are, modes kept). */
const copyEntries = (from: string, to: string) =>
  io(`cannot copy ${from} to ${to}`, async () => {
    for (const entry of await readdir(from)) {
      if (entry === ".git") continue
      await cp(join(from, entry), join(to, entry), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, force: true })
    }
  })

/**
 * Builds, in `dir`, the directory to stream into the volume: named as the
 * worktree (so the tar's one top entry is the mount point, and the volume's
 * root becomes the user's), holding a clone at the worktree's HEAD and the
 * worktree's files. Answers the directory's name.
 */
export const stageClone = Effect.fn("CloneWorkspace.stage")(function* (input: {
  readonly repoPath: string
  readonly worktree: string
  readonly dir: string
}) {
  const name = basename(input.worktree)
  const staged = join(input.dir, name)
  const head = yield* git(input.worktree, ["rev-parse", "--verify", "HEAD"])
  const branch = yield* gitMaybe(input.worktree, ["symbolic-ref", "--quiet", "--short", "HEAD"])
  yield* git(input.dir, ["clone", "--quiet", "--no-checkout", input.repoPath, name])
  if (branch === "") yield* git(staged, ["update-ref", "--no-deref", "HEAD", head])
  else {
    yield* git(staged, ["checkout", "--quiet", "--no-track", "-B", branch, head])
    const origin = yield* gitMaybe(input.repoPath, ["remote", "get-url", "origin"])
    // The clone's origin is this machine's repository, a path that means nothing where the engine is.
    if (origin !== "") yield* git(staged, ["remote", "set-url", "origin", origin])
    else yield* git(staged, ["remote", "remove", "origin"])
  }
  for (const key of ["user.name", "user.email"]) {
    const value = yield* gitMaybe(input.worktree, ["config", "--get", key])
    if (value !== "") yield* git(staged, ["config", key, value])
  }
  yield* git(staged, ["config", "maintenance.auto", "false"])
  // `checkout` wrote the branch's files; the worktree's own replace them, so what is uncommitted stays so.
  for (const entry of yield* io("cannot read the staged clone", () => readdir(staged))) {
    if (entry !== ".git") yield* io("cannot clear the staged clone", () => rm(join(staged, entry), { recursive: true, force: true }))
  }
  yield* copyEntries(input.worktree, staged)
  yield* git(staged, ["reset", "--quiet"])
  return name
})

const tar = (args: ReadonlyArray<string>) =>
  Effect.async<void, CloneFailed>((resume) => {
    execFile("tar", args, { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error === null) resume(Effect.void)
      else resume(Effect.fail(new CloneFailed({ detail: `tar ${args.join(" ")} failed: ${(stderr || error.message).trim()}` })))
    })
  })

/** Packs `dir`'s entry `name` into the tar file `file` (ownership and modes as they are). */
export const packTar = (dir: string, name: string, file: string) => tar(["-C", dir, "-cf", file, "--", name])

/** Unpacks the tar file `file` into `dir`, owned by whoever runs ao. */
export const unpackTar = (file: string, dir: string) => tar(["-C", dir, "-xf", file, "--no-same-owner"])

/**
 * Brings the clone extracted at `extracted` back: its HEAD and branches into
 * `refs/ao/clones/<session>/`, the worktree's branch onto the clone's HEAD
 * (a local HEAD the clone does not contain is kept there too, as
 * `local-before`), and the worktree's files replaced by the clone's.
 */
export const bringBack = Effect.fn("CloneWorkspace.bringBack")(function* (input: {
  readonly repoPath: string
  readonly worktree: string
  readonly session: string
  readonly extracted: string
}) {
  const refs = cloneRefsOf(input.session)
  const present = yield* io(`cannot read ${input.extracted}`, () => stat(join(input.extracted, ".git")).then(() => true, () => false))
  if (!present) return yield* new CloneFailed({ detail: `the volume holds no git clone at ${input.worktree}` })
  yield* git(input.repoPath, ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", input.extracted, `+HEAD:${refs}HEAD`, `+refs/heads/*:${refs}heads/*`])
  const cloneHead = yield* git(input.repoPath, ["rev-parse", "--verify", `${refs}HEAD^{commit}`])
  const localHead = yield* gitMaybe(input.worktree, ["rev-parse", "--verify", "HEAD"])
  if (localHead !== "" && localHead !== cloneHead) {
    const contained = yield* Effect.either(git(input.repoPath, ["merge-base", "--is-ancestor", localHead, cloneHead]))
    if (contained._tag === "Left") yield* git(input.repoPath, ["update-ref", `${refs}local-before`, localHead])
  }
  yield* git(input.worktree, ["reset", "--quiet", "--mixed", cloneHead])
  for (const entry of yield* io(`cannot read ${input.worktree}`, () => readdir(input.worktree))) {
    if (entry !== ".git") yield* io(`cannot clear ${input.worktree}`, () => rm(join(input.worktree, entry), { recursive: true, force: true }))
  }
  yield* copyEntries(input.extracted, input.worktree)
  return cloneHead
})
