import { Data, Effect } from "effect"
import { chmod, copyFile, lstat, mkdir, readdir, readFile, readlink, rename, rm, symlink } from "node:fs/promises"
import { dirname, join } from "node:path"

/** What a snapshot leaves out on purpose (the config's `snapshot:`): regenerable directories and files too large to copy. */
export interface SnapshotSettings {
  /** Directory names (`node_modules/`) never copied, at any depth. */
  readonly skip: ReadonlyArray<string>
  readonly maxFileBytes: number
}

/** A file of the worktree or the store that could not be read or written. */
export class KeptFilesFailed extends Data.TaggedError("KeptFilesFailed")<{ readonly path: string; readonly cause: unknown }> {
  override get message() {
    return `${this.path}: ${this.cause instanceof Error ? this.cause.message : String(this.cause)}`
  }
}

/** The files a snapshot copies to the private store, and what it would have to leave behind. */
export interface KeptFiles {
  /** Paths relative to the worktree: regular files and symlinks. */
  readonly files: ReadonlyArray<string>
  readonly bytes: number
  /** Each thing not saved, with why, for a person to read. */
  readonly notSaved: ReadonlyArray<string>
}

const fsStep = <A>(path: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (cause) => new KeptFilesFailed({ path, cause }) })

const skippedName = (settings: SnapshotSettings, name: string): boolean =>
  settings.skip.some((entry) => entry.replace(/\/+$/, "") === name)

/**
 * Every file under `entries` (relative paths; a directory ends in `/`),
 * never following a symlink, leaving out the skipped directories and naming
 * the files over the size limit and anything that is not a file or a symlink.
 */
export const collectKept = (worktree: string, entries: ReadonlyArray<string>, settings: SnapshotSettings) =>
  fsStep(worktree, async (): Promise<KeptFiles> => {
    const files: Array<string> = []
    const notSaved: Array<string> = []
    let bytes = 0
    const visit = async (relative: string): Promise<void> => {
      if (relative.split("/").some((part) => skippedName(settings, part))) return
      const stat = await lstat(join(worktree, relative))
      if (stat.isDirectory()) {
        for (const child of await readdir(join(worktree, relative))) await visit(`${relative}/${child}`)
      } else if (stat.isSymbolicLink()) {
        files.push(relative)
      } else if (!stat.isFile()) {
        notSaved.push(`${relative} (not a regular file)`)
      } else if (stat.size > settings.maxFileBytes) {
        notSaved.push(`${relative} (${stat.size} bytes, over snapshot.maxFileBytes ${settings.maxFileBytes})`)
      } else {
        files.push(relative)
        bytes += stat.size
      }
    }
    for (const entry of entries) await visit(entry.replace(/\/+$/, ""))
    return { files, bytes, notSaved }
  })

/** One file or symlink, byte for byte with its mode; a symlink's target is copied as text, never followed. */
const copyOne = async (from: string, to: string): Promise<void> => {
  await mkdir(dirname(to), { recursive: true, mode: 0o700 })
  const stat = await lstat(from)
  await rm(to, { force: true })
  if (stat.isSymbolicLink()) return symlink(await readlink(from), to)
  await copyFile(from, to)
  await chmod(to, stat.mode & 0o7777)
}

/** Files to copy from one directory into a part of the store. */
export interface KeptSource {
  readonly root: string
  readonly files: ReadonlyArray<string>
  /** The part of the store they go to (`worktree`, `modules`). */
  readonly into: string
}

/**
 * Copies the files into `store` (made 0700: ignored files hold secrets such
 * as `.env`). Written under a `.tmp` name and renamed, so a crash never
 * leaves a half copy that looks complete.
 */
export const saveKept = (sources: ReadonlyArray<KeptSource>, store: string) =>
  fsStep(store, async () => {
    const partial = `${store}.tmp`
    await rm(partial, { recursive: true, force: true })
    await mkdir(partial, { recursive: true, mode: 0o700 })
    await chmod(dirname(partial), 0o700)
    for (const source of sources) {
      for (const file of source.files) await copyOne(join(source.root, file), join(partial, source.into, file))
    }
    await rename(partial, store)
  })

/** Every file and symlink below a directory, relative to it. */
export const filesBelow = async (root: string, relative = ""): Promise<Array<string>> => {
  const found: Array<string> = []
  for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
    const path = relative === "" ? entry.name : `${relative}/${entry.name}`
    if (entry.isDirectory()) found.push(...(await filesBelow(root, path)))
    else found.push(path)
  }
  return found
}

/** Puts the files saved in `store` back into the worktree; false when the store has none. */
export const restoreKept = (store: string, worktree: string) =>
  fsStep(store, async () => {
    const files = await filesBelow(store).catch((cause: { readonly code?: unknown }) => {
      if (cause.code === "ENOENT") return undefined
      throw cause
    })
    if (files === undefined) return false
    for (const file of files) await copyOne(join(store, file), join(worktree, file))
    return true
  })

/** The paths of a worktree's submodules, from its `.gitmodules`. */
export const submodulePaths = (worktree: string) =>
  fsStep(worktree, async () => {
    const text = await readFile(join(worktree, ".gitmodules"), "utf8").catch(() => "")
    return [...text.matchAll(/^\s*path\s*=\s*(.+?)\s*$/gm)].flatMap((match) => (match[1] === undefined ? [] : [match[1]]))
  })
