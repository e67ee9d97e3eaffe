import { mkdirSync, statSync, unwatchFile, watch, watchFile } from "node:fs"
import { basename, dirname } from "node:path"
import type { LogChange } from "./event-stream"

/** Where the kernel cannot watch (no inotify left, a network file system): how often the file's size is looked at. */
export const FALLBACK_STAT_MILLIS = 2000

interface Identity {
  readonly inode: number
  readonly size: number
}

const identityOf = (path: string): Identity | undefined => {
  try {
    const stats = statSync(path)
    return { inode: stats.ino, size: stats.size }
  } catch {
    return undefined // Not written yet (or removed): nothing to read.
  }
}

/**
 * Tells `changed` when the event log at `path` changes, so its reader reads
 * only then: lines appended, or the file truncated, removed or replaced by
 * another (a smaller size or a new inode: read it from its start). The
 * kernel tells of the writes (inotify on the log's directory, so a file
 * created or renamed into place is seen too); nothing is read or polled
 * while nobody writes. Where the directory cannot be watched it falls back
 * to looking at the file's size and inode every FALLBACK_STAT_MILLIS (a
 * stat, not a read). Returns which of the two it does.
 */
export const watchEventLog = (
  path: string,
  changed: (change: LogChange) => void,
  stop: AbortSignal,
  options: { readonly fallbackStatMillis?: number; readonly watchDirectory?: typeof watch } = {}
): "watching" | "polling" => {
  const name = basename(path)
  let last = identityOf(path)
  const look = () => {
    const now = identityOf(path)
    const replaced = last !== undefined && (now === undefined || now.inode !== last.inode || now.size < last.size)
    last = now
    if (replaced) changed("replaced")
    else if (now !== undefined) changed("appended")
  }
  const poll = () => {
    const listener = () => look()
    watchFile(path, { persistent: false, interval: options.fallbackStatMillis ?? FALLBACK_STAT_MILLIS }, listener)
    stop.addEventListener("abort", () => unwatchFile(path, listener), { once: true })
    // Whatever happened while the watch was failing is looked at now.
    look()
  }
  if (stop.aborted) return "watching"
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    const watcher = (options.watchDirectory ?? watch)(dirname(path), { persistent: false, signal: stop }, (_event, file) => {
      if (file === null || file === name) look()
    })
    watcher.on("error", () => {
      watcher.close()
      if (!stop.aborted) poll()
    })
    return "watching"
  } catch {
    poll()
    return "polling"
  }
}
