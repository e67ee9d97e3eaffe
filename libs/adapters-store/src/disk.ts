import { randomBytes } from "node:crypto"
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, readSync } from "node:fs"
import * as fs from "node:fs/promises"
import { dirname, join } from "node:path"
import { Data, Effect, Option } from "effect"

/** A file-system call that failed; adapters translate it into their port's error. */
export class DiskError extends Data.TaggedError("DiskError")<{
  readonly operation: string
  readonly path: string
  readonly cause: unknown
}> {
  /** The errno code (ENOENT, EEXIST, …) when the cause has one. */
  get code(): string | undefined {
    const cause = this.cause
    return typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string"
      ? cause.code
      : undefined
  }
  get detail(): string {
    return this.cause instanceof Error ? this.cause.message : String(this.cause)
  }
}

const attempt = <A>(operation: string, path: string, run: () => Promise<A>): Effect.Effect<A, DiskError> =>
  Effect.tryPromise({ try: run, catch: (cause) => new DiskError({ operation, path, cause }) })

/** Succeeds with None when `path` does not exist; any other failure is kept. */
const unlessMissing = <A>(effect: Effect.Effect<A, DiskError>): Effect.Effect<Option.Option<A>, DiskError> =>
  effect.pipe(
    Effect.map(Option.some),
    Effect.catchIf(
      (error) => error.code === "ENOENT",
      () => Effect.succeedNone
    )
  )

const attemptSync = <A>(operation: string, path: string, run: () => A): Effect.Effect<A, DiskError> =>
  Effect.try({ try: run, catch: (cause) => new DiskError({ operation, path, cause }) })

// Session files are a few hundred bytes: a synchronous read costs a fraction of the
// promise machinery around an asynchronous one, and `ls` reads one per session.
export const readText = (path: string) => attemptSync("read", path, () => readFileSync(path, "utf8"))

export const readTextIfExists = (path: string) => unlessMissing(readText(path))

/** The entries of a directory; a directory that does not exist has none. */
export const listDirectory = (path: string) =>
  Effect.map(unlessMissing(attemptSync("list", path, () => readdirSync(path))), Option.getOrElse((): Array<string> => []))

export const exists = (path: string) =>
  Effect.map(unlessMissing(attempt("stat", path, () => fs.stat(path))), Option.isSome)

export const ensureDirectory = (path: string) =>
  Effect.asVoid(attempt("create directory", path, () => fs.mkdir(path, { recursive: true })))

/** Deletes `path`; true when it existed. */
export const removeFile = (path: string) => Effect.map(unlessMissing(attempt("remove", path, () => fs.unlink(path))), Option.isSome)

export const moveFile = (from: string, to: string) => attempt("move", from, () => fs.rename(from, to))

const fsyncDirectory = (path: string) =>
  attempt("sync directory", path, async () => {
    const handle = await fs.open(path, constants.O_RDONLY)
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  })

/**
 * How much a write must survive: a session record or config must outlive a
 * power cut ("synced"); a lock file need not, because after a crash it is
 * stale anyway ("volatile").
 */
export type Durability = "synced" | "volatile"

/** `.<writer pid>-<random>.tmp`: the pid says whose it is, so one left by a killed writer can be told apart. */
const TEMPORARY_NAME = /^\.(\d+)-[0-9a-f]+\.tmp$/

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (cause) {
    // EPERM: it runs, as someone else. Only "no such process" means the writer is gone.
    return (cause as { readonly code?: unknown }).code !== "ESRCH"
  }
}

/**
 * Removes the temporaries in `dir` whose writer no longer runs (a SIGKILL
 * between write and rename leaves one). A recycled pid only keeps a file
 * longer; a running writer's file is never touched.
 */
const sweepDeadTemporaries = (dir: string) =>
  Effect.promise(async () => {
    const names = await fs.readdir(dir).catch(() => [] as Array<string>)
    await Promise.all(
      names.flatMap((name) => {
        const writer = TEMPORARY_NAME.exec(name)?.[1]
        return writer !== undefined && !isRunning(Number(writer)) ? [fs.rm(join(dir, name), { force: true })] : []
      })
    ).catch(() => undefined)
  })

/** A temporary a write left in `dir`, found by its name, with whether its writer still runs. */
export interface LeftTemporary {
  readonly path: string
  readonly bytes: number
  readonly modifiedAtMillis: number
  readonly writerPid: number
  readonly writerAlive: boolean
}

/** The temporaries in `dir` (none when there is no such directory): a crash or a full disk leaves them. */
export const temporariesIn = (dir: string) =>
  Effect.flatMap(listDirectory(dir), (names) =>
    Effect.map(
      Effect.forEach(
        names.flatMap((name) => {
          const writer = TEMPORARY_NAME.exec(name)?.[1]
          return writer === undefined ? [] : [{ path: join(dir, name), writerPid: Number(writer) }]
        }),
        (found) =>
          Effect.map(unlessMissing(attempt("stat", found.path, () => fs.lstat(found.path))), (stat) =>
            // One renamed or swept meanwhile is simply no longer there.
            Option.map(stat, (info): LeftTemporary => ({
              ...found,
              bytes: info.size,
              modifiedAtMillis: info.mtimeMs,
              writerAlive: isRunning(found.writerPid)
            }))
          )
      ),
      (found) => found.flatMap((entry) => Option.toArray(entry))
    )
  )

/**
 * Deletes `path` only if it is still a temporary in `dir`, its writer is gone, and it was last
 * changed before `modifiedBeforeMillis`; true when it was deleted.
 */
export const removeDeadTemporary = (dir: string, path: string, modifiedBeforeMillis: number) =>
  Effect.flatMap(temporariesIn(dir), (found) => {
    const stray = found.find((entry) => entry.path === path)
    return stray === undefined || stray.writerAlive || stray.modifiedAtMillis >= modifiedBeforeMillis
      ? Effect.succeed(false)
      : removeFile(path)
  })

/** A fully written file next to `path`, under a name no other writer uses; dead writers' leftovers there go first. */
const writeTemporary = (path: string, content: string, durability: Durability) => {
  const temporary = join(dirname(path), `.${process.pid}-${randomBytes(6).toString("hex")}.tmp`)
  return Effect.as(
    Effect.zipRight(sweepDeadTemporaries(dirname(path)), 
    attempt("write", temporary, async () => {
      const handle = await fs.open(temporary, "wx")
      try {
        await handle.writeFile(content, "utf8")
        if (durability === "synced") await handle.sync()
      } finally {
        await handle.close()
      }
    })),
    temporary
  )
}

/**
 * Puts a temporary copy of `content` in place with `install`, removing the
 * temporary afterwards. A temporary that cannot be removed is harmless
 * (readers skip dot files), so that cleanup may not fail the write that
 * already happened.
 */
const installFile = (
  path: string,
  content: string,
  durability: Durability,
  install: (temporary: string) => Effect.Effect<void, DiskError>
) =>
  Effect.zipRight(
    Effect.acquireUseRelease(writeTemporary(path, content, durability), install, (temporary) =>
      Effect.ignore(removeFile(temporary))
    ),
    durability === "synced" ? fsyncDirectory(dirname(path)) : Effect.void
  )

/** Replaces `path` atomically: readers see the old content or the new, never a partial file. */
export const writeFileAtomic = (path: string, content: string) =>
  installFile(path, content, "synced", (temporary) => attempt("replace", path, () => fs.rename(temporary, path)))

/**
 * Creates `path` only if nothing is there (hard link: exclusive like O_EXCL,
 * and atomic, so no reader ever sees a half-written file). Fails with a
 * DiskError whose code is EEXIST when the name is taken.
 */
export const createFileExclusive = (path: string, content: string, durability: Durability = "synced") =>
  installFile(path, content, durability, (temporary) => attempt("create", path, () => fs.link(temporary, path)))

/**
 * Appends `line` (ending in a newline) to `path` in one O_APPEND write and
 * syncs it. If a crashed writer left the file without a final newline, the
 * line starts on a fresh one, so it is never glued to the torn tail.
 */
export const appendLine = (path: string, line: string) =>
  attempt("append to", path, async () => {
    const handle = await fs.open(path, "a+")
    try {
      const { size } = await handle.stat()
      const last = Buffer.alloc(1)
      if (size > 0) await handle.read(last, 0, 1, size - 1)
      await handle.writeFile(size > 0 && last[0] !== 0x0a ? `\n${line}` : line, "utf8")
      await handle.datasync()
    } finally {
      await handle.close()
    }
  })

/**
 * Up to `length` bytes of `path` from the byte `from(size)` picks; none past
 * the end or when there is no file. Synchronous like `readText`: windows are
 * a few kilobytes, and `ls` reads one per session, where the promise
 * machinery of a FileHandle costs more than the read.
 */
const readWindow = (path: string, from: (size: number) => number, length: number) =>
  Effect.map(
    unlessMissing(
      attemptSync("read", path, () => {
        const descriptor = openSync(path, "r")
        try {
          const { size } = fstatSync(descriptor)
          const position = from(size)
          const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)))
          const bytesRead = buffer.length === 0 ? 0 : readSync(descriptor, buffer, 0, buffer.length, position)
          return { bytes: buffer.subarray(0, bytesRead), position }
        } finally {
          closeSync(descriptor)
        }
      })
    ),
    Option.getOrElse(() => ({ bytes: Buffer.alloc(0), position: 0 }))
  )

/** Up to `length` bytes of `path` from byte `position`; none past the end or when there is no file. */
export const readBytes = (path: string, position: number, length: number) =>
  Effect.map(
    readWindow(path, () => position, length),
    (window) => window.bytes
  )

/** The last `length` bytes of `path` (fewer when it is shorter) and where they start; none when there is no file. */
export const readTail = (path: string, length: number) =>
  readWindow(path, (size) => Math.max(0, size - length), length)

export const modifiedAtMillis = (path: string) =>
  Effect.map(unlessMissing(attempt("stat", path, () => fs.stat(path))), Option.map((stats) => stats.mtimeMs))
