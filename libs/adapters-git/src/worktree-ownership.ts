import { Effect, Option } from "effect"
import { lstat, readdir, readFile, realpath, writeFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import { KeptFilesFailed } from "./kept-files"
import { type RemovalIntent, removalIntentFor } from "./removal-intent"
import { gitDirOf, mainRepositoryOf } from "./worktree-files"

/**
 * The file in a worktree's git directory (`<repo>/.git/worktrees/<name>/`)
 * that says ao made it: it holds the worktree's real path. git removes it
 * with the worktree; a worktree a person made never has one.
 */
const MARKER = "ao-worktree"
/**
 * Where an older ao recorded the intent to remove (after the snapshot, before the files went). A
 * removal interrupted midway by such a version is still finished; new removals record their intent
 * in the repository (removal-intent.ts), where `git worktree prune` cannot take it away.
 */
const REMOVING = "ao-removing"

/** Whether ao may remove a path, and what it is. */
export type Ownership =
  | { readonly _tag: "Gone" }
  | { readonly _tag: "Ours"; readonly gitDir: string; readonly repoPath: string }
  /** A removal began here (its work was saved first) and was interrupted: only the rest of the files are left. */
  | { readonly _tag: "HalfRemoved"; readonly repoPath: string; readonly intent: Option.Option<RemovalIntent> }
  | { readonly _tag: "Refused"; readonly why: string }

const fsStep = <A>(path: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (cause) => new KeptFilesFailed({ path, cause }) })

const codeOf = (cause: unknown): unknown => (cause as { readonly code?: unknown } | null)?.code

/** lstat, none when nothing is there; a symlink is described, never followed. */
const lstatIfPresent = (path: string) =>
  fsStep(path, () =>
    lstat(path).then(
      (stat) => Option.some(stat),
      (cause: unknown) => {
        if (codeOf(cause) === "ENOENT" || codeOf(cause) === "ENOTDIR") return Option.none()
        throw cause
      }
    )
  )

const readText = (path: string) => fsStep(path, () => readFile(path, "utf8").then((text) => Option.some(text.trim()), () => Option.none<string>()))

/** Marks a worktree ao has just made. */
export const markWorktree = (worktree: string, gitDir: string) =>
  fsStep(gitDir, async () => writeFile(join(gitDir, MARKER), `${await realpath(worktree)}\n`))

/**
 * The git directory of a worktree whose `.git` file is already gone (a
 * removal interrupted midway), found from the repository's registrations;
 * only one ao marked and meant to remove counts.
 */
const interruptedRemoval = (repoPath: string, path: string) =>
  Effect.gen(function* () {
    const common = join(repoPath, ".git", "worktrees")
    const names = yield* fsStep(common, () => readdir(common).catch(() => []))
    for (const name of names) {
      const gitDir = join(common, name)
      const registered = yield* readText(join(gitDir, "gitdir"))
      if (Option.isNone(registered) || resolve(registered.value) !== join(path, ".git")) continue
      const marker = yield* readText(join(gitDir, MARKER))
      const removing = yield* lstatIfPresent(join(gitDir, REMOVING))
      if (Option.isSome(marker) && Option.isSome(removing)) return Option.some(gitDir)
    }
    return Option.none<string>()
  })

/**
 * A worktree ao made before it wrote markers: accepted only when the
 * session's record says exactly where and on which branch it is, and git
 * agrees: the project's repository registers a worktree at this very path
 * (its git directory lies in the repository's `.git/worktrees/` and points
 * back here), its HEAD is the recorded branch, and it lies inside
 * `worktreeDir` (checked by the caller before this).
 */
const madeBeforeMarkers = (
  real: string,
  gitDir: string,
  expected: { readonly repoPath?: string; readonly worktreeDir?: string; readonly branch?: string }
) =>
  Effect.gen(function* () {
    if (expected.repoPath === undefined || expected.worktreeDir === undefined || expected.branch === undefined) return false
    const repoReal = yield* fsStep(expected.repoPath, () => realpath(expected.repoPath ?? "").catch(() => resolve(expected.repoPath ?? "")))
    const gitDirReal = yield* fsStep(gitDir, () => realpath(gitDir).catch(() => resolve(gitDir)))
    if (!gitDirReal.startsWith(`${join(repoReal, ".git", "worktrees")}/`)) return false
    const registered = yield* readText(join(gitDir, "gitdir"))
    if (Option.isNone(registered)) return false
    const registeredReal = yield* fsStep(gitDir, () => realpath(registered.value).catch(() => resolve(registered.value)))
    if (registeredReal !== join(real, ".git")) return false
    const head = yield* readText(join(gitDir, "HEAD"))
    return Option.contains(head, `ref: refs/heads/${expected.branch}`)
  })

/**
 * ao removes a worktree only when ao made it (its marker names this very
 * path), it is a real directory (a symlink is refused, never followed), it
 * lies inside `worktreeDir` and belongs to `repoPath`. Only files are read:
 * nothing here starts a process.
 */
export const ownershipOf = Effect.fn("GitFiles.ownership")(function* (
  path: string,
  expected: { readonly repoPath?: string; readonly worktreeDir?: string; readonly branch?: string }
) {
  const refused = (why: string): Ownership => ({ _tag: "Refused", why })
  if (expected.repoPath !== undefined && Option.isNone(yield* lstatIfPresent(join(expected.repoPath, ".git")))) {
    return refused(`its repository ${expected.repoPath} is not there any more (moved?); point the project's path at it and run the command again`)
  }
  const stat = yield* lstatIfPresent(path)
  if (Option.isNone(stat)) return { _tag: "Gone" } satisfies Ownership
  if (stat.value.isSymbolicLink()) return refused("it is a symlink; ao never removes what a symlink points to")
  if (!stat.value.isDirectory()) return refused("it is not a directory")
  const real = yield* fsStep(path, () => realpath(path))
  if (expected.worktreeDir !== undefined) {
    const root = yield* fsStep(expected.worktreeDir, () => realpath(expected.worktreeDir ?? "").catch(() => resolve(expected.worktreeDir ?? "")))
    if (!real.startsWith(`${root}/`)) return refused(`it is outside the worktree directory ${expected.worktreeDir}`)
  }
  const dotGit = yield* lstatIfPresent(join(path, ".git"))
  if (Option.isSome(dotGit) && dotGit.value.isDirectory()) return refused("it is a repository's main working tree, not a worktree ao made")
  // A removal recorded its intent here, its `.git` file gone or not: it is finished, never snapshotted again
  // (a snapshot of the half-deleted files would record their deletion as the latest state).
  const repoPath = expected.repoPath ?? Option.getOrUndefined(Option.isSome(dotGit) ? yield* mainRepositoryOf(path) : Option.none<string>())
  const intent = repoPath === undefined ? Option.none<RemovalIntent>() : yield* removalIntentFor(repoPath, path, real)
  if (Option.isSome(intent) && repoPath !== undefined) return { _tag: "HalfRemoved", repoPath, intent } satisfies Ownership
  if (Option.isNone(dotGit)) {
    const half = expected.repoPath === undefined ? Option.none<string>() : yield* interruptedRemoval(expected.repoPath, path)
    if (Option.isSome(half) && expected.repoPath !== undefined) {
      return { _tag: "HalfRemoved", repoPath: expected.repoPath, intent: Option.none() } satisfies Ownership
    }
    return refused("it is not a git worktree")
  }
  const gitDir = yield* gitDirOf(path)
  if (Option.isNone(gitDir)) return refused("its .git file does not name a git directory")
  const marker = yield* readText(join(gitDir.value, MARKER))
  const premarker = Option.isNone(marker) && (yield* madeBeforeMarkers(real, gitDir.value, expected))
  if (Option.isNone(marker) && !premarker) {
    return refused("ao did not make it (its git directory has no ao marker); remove it yourself if it is not needed")
  }
  if (Option.isSome(marker) && marker.value !== real) return refused(`ao made it for ${marker.value}, not for this path`)
  const repo = yield* mainRepositoryOf(path)
  if (Option.isNone(repo)) return refused("its repository cannot be found")
  if (expected.repoPath !== undefined) {
    const [mine, theirs] = yield* fsStep(path, () => Promise.all([realpath(repo.value), realpath(expected.repoPath ?? "")]))
    if (mine !== theirs) return refused(`it belongs to the repository ${repo.value}, not ${expected.repoPath}`)
  }
  // From now on it carries the marker like any worktree ao makes.
  if (premarker) yield* markWorktree(real, gitDir.value)
  return { _tag: "Ours", gitDir: gitDir.value, repoPath: repo.value } satisfies Ownership
})
