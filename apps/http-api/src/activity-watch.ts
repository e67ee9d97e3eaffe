import { mkdirSync, watch } from "node:fs"

/** A hook appends a line per agent event; a burst of them is announced once. */
const SETTLE_MILLIS = 150
const LOG_FILE = /^([a-z0-9][a-z0-9._-]{0,127})\.jsonl$/

/**
 * Watches the directory the agents' hooks write their activity logs to and
 * calls `changed` with the session whose log grew, at most once per burst.
 * The kernel tells of the writes (inotify): nothing is read or polled while
 * no agent does anything.
 */
export const watchActivity = (directory: string, changed: (sessionId: string) => void, stop: AbortSignal): void => {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 })
  } catch {
    return // Not ours to create (read-only home): states still change on the next read, just not announced.
  }
  const pending = new Map<string, NodeJS.Timeout>()
  const watcher = watch(directory, { persistent: false, signal: stop }, (_event, file) => {
    const match = file === null ? null : LOG_FILE.exec(file)
    if (match === null || pending.has(match[1]!)) return
    const sessionId = match[1]!
    pending.set(
      sessionId,
      setTimeout(() => {
        pending.delete(sessionId)
        changed(sessionId)
      }, SETTLE_MILLIS)
    )
  })
  watcher.on("error", () => watcher.close())
  stop.addEventListener("abort", () => {
    for (const timer of pending.values()) clearTimeout(timer)
  })
}
