import { ActivityLog, ActivityReport, StoreFailed } from "@ao/domain"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { readTail } from "../disk"
import { activityLogPath, appendActivityLine } from "./activity-file"

export interface ActivityLogOptions {
  readonly dataDir: string
}

/** How much of a log's end `ls` reads: the latest few dozen reports, whatever the log's length. */
export const TAIL_BYTES = 8192

const decodeLine = Schema.decodeUnknownOption(Schema.parseJson(ActivityReport))

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
      return readTail(path, TAIL_BYTES).pipe(
        Effect.map((window) => completeLines(window).flatMap((line) => Option.toArray(decodeLine(line)))),
        // Documented on the port: an unreadable log is no evidence, and the screen decides.
        Effect.catchTag("DiskError", (error) =>
          Effect.as(Effect.logWarning(`activity log ${path} unreadable: ${error.detail}`), [])
        )
      )
    }
  })

export const makeActivityLogLayer = (options: ActivityLogOptions): Layer.Layer<ActivityLog> =>
  Layer.sync(ActivityLog, () => makeActivityLog(options))
