import { appendFileSync, mkdirSync } from "node:fs"
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
}
