import { ActivityLog, ActivityReport, StoreFailed } from "@ao/domain"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { constants, existsSync } from "node:fs"
import { open } from "node:fs/promises"
import { join } from "node:path"
import { agentAdapterFor } from "../agents/index"
import { readTail } from "../disk"
import { activityLogPath, appendActivityLine, CONTAINER_HOOK_LOG, containerActivityDir } from "./activity-file"

export interface ActivityLogOptions {
  readonly dataDir: string
}

/** How much of a log's end `ls` reads: the latest few dozen reports, whatever the log's length. */
export const TAIL_BYTES = 8192

const decodeLine = Schema.decodeUnknownOption(Schema.parseJson(ActivityReport))

/** What a container's shell hook writes: the event and its payload as the agent gave them (see containerActivityDir). */
const RawHookLine = Schema.Struct({
  at: Schema.DateTimeUtc,
  agent: Schema.String,
  event: Schema.String,
  payload: Schema.optional(Schema.Unknown)
})
const decodeRawLine = Schema.decodeUnknownOption(Schema.parseJson(RawHookLine))

/** A container's raw hook line as a report, read by the same adapter `ao hook` uses; none when the event says nothing. */
const reportOfRawLine = (line: string): Option.Option<ActivityReport> =>
  Option.flatMap(decodeRawLine(line), (raw) => {
    const reading = agentAdapterFor(raw.agent).readHook(raw.event, raw.payload)
    if (reading === undefined) return Option.none()
    return Option.some({
      at: raw.at,
      state: reading.state,
      event: raw.event,
      ...(reading.detail === undefined ? {} : { detail: reading.detail }),
      ...(reading.submitted === undefined ? {} : { submitted: reading.submitted }),
      ...(reading.transcript === undefined ? {} : { transcript: reading.transcript })
    })
  })

/**
 * The tail of a container's hook log. The container may write anything in
 * its directory, so the file is opened without following a symbolic link
 * and without blocking (a FIFO), and only a regular file is read.
 */
const readContainerTail = async (path: string, length: number): Promise<{ bytes: Buffer; position: number }> => {
  const empty = { bytes: Buffer.alloc(0), position: 0 }
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch {
    return empty
  }
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) return empty
    const position = Math.max(0, stats.size - length)
    const buffer = Buffer.alloc(stats.size - position)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position)
    return { bytes: buffer.subarray(0, bytesRead), position }
  } finally {
    await handle.close()
  }
}

/** The reports of a session's agent running in a container; none when it has no container directory. */
const containerReports = (dataDir: string, sessionId: string): Effect.Effect<ReadonlyArray<ActivityReport>> => {
  const dir = containerActivityDir(dataDir, sessionId)
  // Only docker sessions have the directory: for every other session on `ls` a cheap stat,
  // not an open through the thread pool that fails.
  if (dir === undefined || !existsSync(dir)) return Effect.succeed([])
  return Effect.promise(() =>
    readContainerTail(join(dir, CONTAINER_HOOK_LOG), TAIL_BYTES).catch(() => ({ bytes: Buffer.alloc(0), position: 0 }))
  ).pipe(Effect.map((window) => completeLines(window).flatMap((line) => Option.toArray(reportOfRawLine(line)))))
}

/** The complete lines of a tail window: its first line may be cut, its last still being written. */
const completeLines = (window: { readonly bytes: Buffer; readonly position: number }): ReadonlyArray<string> =>
  window.bytes
    .toString("utf8")
    .split("\n")
    .slice(window.position > 0 ? 1 : 0, -1)

/** The activity logs under `{dataDir}/activity/`, written by `ao hook` and by `append`. */
export const makeActivityLog = ({ dataDir }: ActivityLogOptions) =>
  ActivityLog.of({
    append: (sessionId, report) =>
      Effect.try({
        try: () =>
          appendActivityLine(dataDir, sessionId, {
            at: DateTime.formatIso(report.at),
            state: report.state,
            event: report.event,
            ...(report.detail === undefined ? {} : { detail: report.detail }),
            ...(report.submitted === undefined ? {} : { submitted: report.submitted }),
            ...(report.transcript === undefined ? {} : { transcript: report.transcript })
          }),
        catch: (error) =>
          new StoreFailed({
            operation: "append to the activity log of",
            path: activityLogPath(dataDir, sessionId) ?? sessionId,
            detail: error instanceof Error ? error.message : String(error)
          })
      }),
    recent: (sessionId) => {
      const path = activityLogPath(dataDir, sessionId)
      if (path === undefined) return Effect.succeed([])
      const own = readTail(path, TAIL_BYTES).pipe(
        Effect.map((window) => completeLines(window).flatMap((line) => Option.toArray(decodeLine(line)))),
        // Documented on the port: an unreadable log is no evidence, and the screen decides.
        Effect.catchTag("DiskError", (error) =>
          Effect.as(Effect.logWarning(`activity log ${path} unreadable: ${error.detail}`), [] as ReadonlyArray<ActivityReport>)
        )
      )
      // An agent in a container reports to its own directory: both logs, oldest first.
      return Effect.map(Effect.all([own, containerReports(dataDir, sessionId)]), ([mine, contained]) =>
        contained.length === 0
          ? mine
          : [...mine, ...contained].sort((a, b) => DateTime.toEpochMillis(a.at) - DateTime.toEpochMillis(b.at))
      )
    }
  })

export const makeActivityLogLayer = (options: ActivityLogOptions): Layer.Layer<ActivityLog> =>
  Layer.sync(ActivityLog, () => makeActivityLog(options))
