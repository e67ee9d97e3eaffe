import type { BranchState } from "@ao/domain"
import { Data, Effect, Option } from "effect"
import { readFileSync } from "node:fs"
import { copyFile, stat, utimes } from "node:fs/promises"
import { basename, dirname, join, resolve } from "node:path"

/** A file of git's own that exists but could not be read (permissions, I/O). */
export class GitFileUnreadable extends Data.TaggedError("GitFileUnreadable")<{
  readonly path: string
  readonly cause: unknown
}> {
  override get message() {
    return `cannot read ${this.path}: ${this.cause instanceof Error ? this.cause.message : String(this.cause)}`
  }
}

const isAbsent = (cause: unknown): boolean => {
  const code = (cause as { readonly code?: unknown } | null)?.code
  return code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR"
}

/**
 * A file's text; none when it, or a directory on its way, does not exist, or when it is a directory.
 * Read synchronously: `ls` reads two tiny files per session, and the promise machinery
 * around an asynchronous read costs more than the read itself.
 */
const readIfPresent = (path: string): Effect.Effect<Option.Option<string>, GitFileUnreadable> =>
  Effect.try({ try: () => readFileSync(path, "utf8"), catch: (cause) => cause }).pipe(
    Effect.map(Option.some),
    Effect.catchAll((cause) =>
      isAbsent(cause) ? Effect.succeed(Option.none<string>()) : Effect.fail(new GitFileUnreadable({ path, cause }))
    )
  )

/**
 * Copies a file if it exists, keeping its modification time: false when there
 * was none to copy. The time matters for a copy of git's index: git re-reads
 * an entry written in the same tick as the index itself ("racily clean"), and
 * a copy stamped later would let an edit of the same size in that tick pass
 * as unchanged. (Node sets the time to the millisecond, rounded down: never
 * later than the original's, so the copy is racy whenever the index was.)
 */
export const copyIfPresent = (from: string, to: string): Effect.Effect<boolean, GitFileUnreadable> =>
  Effect.tryPromise({
    try: async () => {
      await copyFile(from, to)
      const { atime, mtime } = await stat(from)
      await utimes(to, atime, mtime)
    },
    catch: (cause) => cause
  }).pipe(
    Effect.as(true),
    Effect.catchAll((cause) => (isAbsent(cause) ? Effect.succeed(false) : Effect.fail(new GitFileUnreadable({ path: from, cause }))))
  )

/**
 * The git directory of a worktree: a linked worktree's `.git` is a file
 * saying `gitdir: <path>`; the main worktree's `.git` is the directory itself.
 * None when the worktree is not there.
 */
// Untraced: `ls` asks this of every session, and a span each costs more than the read.
export const gitDirOf = Effect.fnUntraced(function* (worktree: string) {
  const dotGit = join(worktree, ".git")
  const pointer = yield* readIfPresent(dotGit)
  if (Option.isSome(pointer)) {
    const match = /^gitdir: (.+)$/m.exec(pointer.value)
    return match?.[1] === undefined ? Option.none<string>() : Option.some(resolve(worktree, match[1].trim()))
  }
  // `.git` is a directory (reading it fails with EISDIR) when this is a main worktree.
  const head = yield* readIfPresent(join(dotGit, "HEAD"))
  return Option.map(head, () => dotGit)
})

const MISSING: BranchState = { _tag: "Missing" }

/** HEAD holds `ref: refs/heads/<branch>`, or a bare commit id when detached. */
const parseHead = (content: string): BranchState => {
  const symbolic = /^ref: (.+)$/.exec(content.trim())
  if (symbolic?.[1] !== undefined) return { _tag: "OnBranch", branch: symbolic[1].replace(/^refs\/heads\//, "") }
  return { _tag: "Detached", commit: content.trim() }
}

/** The live branch, read from `<gitdir>/HEAD` without running git. */
// Untraced, like gitDirOf: once per session in a listing.
export const branchStateOf = Effect.fnUntraced(function* (worktree: string) {
  const gitDir = yield* gitDirOf(worktree)
  if (Option.isNone(gitDir)) return MISSING
  const head = yield* readIfPresent(join(gitDir.value, "HEAD"))
  return Option.match(head, { onNone: () => MISSING, onSome: parseHead })
})

/**
 * The working directory of the main repository a worktree belongs to, from
 * `<gitdir>/commondir`; none when the worktree is not there.
 */
export const mainRepositoryOf = Effect.fn("GitFiles.mainRepositoryOf")(function* (worktree: string) {
  const gitDir = yield* gitDirOf(worktree)
  if (Option.isNone(gitDir)) return Option.none<string>()
  const commonDir = yield* readIfPresent(join(gitDir.value, "commondir"))
  const common = Option.match(commonDir, { onNone: () => gitDir.value, onSome: (dir) => resolve(gitDir.value, dir.trim()) })
  // A bare repository has no working directory: git is run on the common dir itself.
  return Option.some(basename(common) === ".git" ? dirname(common) : common)
})
