import { appendFileSync, closeSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { ReportedState } from "../agents/agent-adapter"

/**
 * One session's activity log: JSON lines `{"at","state","event","detail"}`
 * under `{dataDir}/activity/{session}.jsonl`, appended by `ao hook` and read
 * from the tail by `ls`. Plain Node, no Effect: the hook entry uses it.
 */
export interface ActivityLine {
  readonly at: string
  readonly state: ReportedState
  readonly event: string
  readonly detail?: string
  readonly submitted?: boolean
  readonly transcript?: string
}

/** The shape of a session name; anything else never becomes a path. */
const SESSION_ID = /^[a-z0-9][a-z0-9._-]{0,127}$/

export const activityDir = (dataDir: string): string => join(dataDir, "activity")

/** The log's path; undefined when `sessionId` is not a session name. */
export const activityLogPath = (dataDir: string, sessionId: string): string | undefined =>
  SESSION_ID.test(sessionId) && !sessionId.includes("..") ? join(activityDir(dataDir), `${sessionId}.jsonl`) : undefined

/**
 * Appends one line with one write in append mode, so concurrent hooks (tools
 * run in parallel) never interleave within a line.
 */
export const appendActivityLine = (dataDir: string, sessionId: string, line: ActivityLine): void => {
  const path = activityLogPath(dataDir, sessionId)
  if (path === undefined) throw new Error(`not a session name: ${JSON.stringify(sessionId)}`)
  mkdirSync(activityDir(dataDir), { recursive: true })
  appendFileSync(path, `${JSON.stringify(line)}\n`, { flag: "a" })
  pruneActivityLog(path)
}

/** Past this size a log is cut down to its latest lines: only its tail is ever read. */
export const PRUNE_ABOVE_BYTES = 256 * 1024
/** What a pruned log keeps: far more than `ls` reads (8 KB). */
export const PRUNE_KEEP_BYTES = 32 * 1024

/**
 * Keeps a log bounded: once it passes PRUNE_ABOVE_BYTES, its last whole lines
 * within PRUNE_KEEP_BYTES replace it through a rename, so a reader sees the
 * old log or the new one, never half of either. A report appended by another
 * hook between the read and the rename may be lost; the next report says the
 * state again. Any failure leaves the log as it was.
 */
export const pruneActivityLog = (path: string, above = PRUNE_ABOVE_BYTES, keep = PRUNE_KEEP_BYTES): boolean => {
  const temporary = `${path}.${process.pid}.prune`
  try {
    const size = statSync(path).size
    if (size <= above) return false
    const length = Math.min(keep, size)
    const bytes = Buffer.alloc(length)
    const fd = openSync(path, "r")
    try {
      readSync(fd, bytes, 0, length, size - length)
    } finally {
      closeSync(fd)
    }
    // The first line of the window may be cut: start after its end.
    const start = bytes.indexOf(0x0a) + 1
    writeFileSync(temporary, bytes.subarray(start))
    renameSync(temporary, path)
    return true
  } catch {
    try {
      unlinkSync(temporary)
    } catch {
      // Nothing was written.
    }
    return false
  }
}

/**
 * Where the hooks of an agent running in a container report: a directory of
 * its own (`{dataDir}/activity/containers/{session}/`), the only thing of
 * ao's data the container gets (read-write). The container has no `ao` and
 * maybe no node, so its hook is a shell appender writing raw lines
 * `{"at","agent","event","payload"}` to `hooks.jsonl` there; the host turns
 * them into states when it reads them, with the same adapter `ao hook` uses.
 */
export const containerActivityDir = (dataDir: string, sessionId: string): string | undefined =>
  SESSION_ID.test(sessionId) && !sessionId.includes("..") ? join(activityDir(dataDir), "containers", sessionId) : undefined

/** The file a container's hook appends to, inside its directory. */
export const CONTAINER_HOOK_LOG = "hooks.jsonl"
