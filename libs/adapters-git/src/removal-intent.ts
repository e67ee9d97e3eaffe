import { Effect, Option } from "effect"
import { createHash, randomBytes } from "node:crypto"
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import { KeptFilesFailed } from "./kept-files"
import { gitDirOf } from "./worktree-files"

/**
 * The intent to remove a worktree, recorded in the main repository's git
 * directory (`<repo>/.git/ao/removing/<hash>.json`) once the worktree's work
 * is saved and before any of its files go. git never touches that directory
 * (`git worktree prune` forgets only a worktree's own admin directory), so a
 * removal interrupted at any point is found and finished later, whatever
 * happened to the worktree's `.git` file or its registration meanwhile.
 */
export interface RemovalIntent {
  /** The worktree's absolute path, as the removal was asked for. */
  readonly path: string
  readonly sessionId: string
  /** The intent's own file. */
  readonly file: string
}

const fsStep = <A>(path: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (cause) => new KeptFilesFailed({ path, cause }) })

const INTENT = /^[0-9a-f]{16}\.json$/

/** Where a repository's intents live; none when the repository is not there. */
const intentDirOf = (repoPath: string) =>
  Effect.map(
    Effect.catchTag(gitDirOf(repoPath), "GitFileUnreadable", (failure) => Effect.fail(new KeptFilesFailed({ path: failure.path, cause: failure.cause }))),
    Option.map((gitDir) => join(gitDir, "ao", "removing"))
  )

const fileNameOf = (path: string): string => `${createHash("sha256").update(resolve(path)).digest("hex").slice(0, 16)}.json`

const parseIntent = (file: string, text: string): Option.Option<RemovalIntent> => {
  try {
    const value = JSON.parse(text) as { readonly path?: unknown; readonly sessionId?: unknown }
    return typeof value.path === "string" && typeof value.sessionId === "string"
      ? Option.some({ path: value.path, sessionId: value.sessionId, file })
      : Option.none()
  } catch {
    return Option.none()
  }
}

/** Every intent recorded in the repository, oldest name first. */
export const removalIntents = Effect.fn("RemovalIntent.list")(function* (repoPath: string) {
  const dir = yield* intentDirOf(repoPath)
  if (Option.isNone(dir)) return [] as ReadonlyArray<RemovalIntent>
  const names = yield* fsStep(dir.value, () => readdir(dir.value).catch((cause: { readonly code?: unknown }) => (cause.code === "ENOENT" ? [] : Promise.reject(cause))))
  const intents: Array<RemovalIntent> = []
  for (const name of names.filter((candidate) => INTENT.test(candidate)).sort()) {
    const file = join(dir.value, name)
    // Written by rename, so never torn; one removed meanwhile by a finishing removal is simply done.
    const text = yield* fsStep(file, () => readFile(file, "utf8").then(Option.some, () => Option.none<string>()))
    const intent = Option.flatMap(text, (content) => parseIntent(file, content))
    if (Option.isSome(intent)) intents.push(intent.value)
  }
  return intents as ReadonlyArray<RemovalIntent>
})

/** The intent recorded for `path` (or for the same directory named `real`), if any. */
export const removalIntentFor = Effect.fn("RemovalIntent.find")(function* (repoPath: string, path: string, real?: string) {
  const wanted = new Set([resolve(path), ...(real === undefined ? [] : [real])])
  return Option.fromNullable((yield* removalIntents(repoPath)).find((intent) => wanted.has(intent.path)))
})

/** Records the intent atomically (a temporary renamed into place), replacing an older one for the same path. */
export const recordRemovalIntent = Effect.fn("RemovalIntent.record")(function* (repoPath: string, path: string, sessionId: string) {
  const dir = yield* intentDirOf(repoPath)
  if (Option.isNone(dir)) return yield* new KeptFilesFailed({ path: repoPath, cause: new Error("the repository has no git directory") })
  const file = join(dir.value, fileNameOf(path))
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`
  yield* fsStep(file, async () => {
    await mkdir(dir.value, { recursive: true })
    await writeFile(temporary, `${JSON.stringify({ path: resolve(path), sessionId })}\n`)
    await rename(temporary, file)
  }).pipe(Effect.tapError(() => Effect.promise(() => rm(temporary, { force: true }))))
  return { path: resolve(path), sessionId, file } satisfies RemovalIntent
})

/** Forgets an intent once its removal is complete. */
export const clearRemovalIntent = (intent: RemovalIntent) => fsStep(intent.file, () => rm(intent.file, { force: true }))
