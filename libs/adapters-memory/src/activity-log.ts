import { ActivityLog, type ActivityReport } from "@ao/domain"
import { Effect, Layer, Ref } from "effect"

/** As much as the disk log's tail window holds at least (its reports are under 200 bytes). */
export const RECENT_REPORTS = 40

/** Activity logs in memory: what hooks reported, per session, kept in order. */
export const MemoryActivityLog: Layer.Layer<ActivityLog> = Layer.effect(
  ActivityLog,
  Effect.map(Ref.make(new Map<string, ReadonlyArray<ActivityReport>>()), (logs) =>
    ActivityLog.of({
      append: (sessionId, report) =>
        Ref.update(logs, (current) => new Map(current).set(sessionId, [...(current.get(sessionId) ?? []), report])),
      recent: (sessionId) => Effect.map(Ref.get(logs), (current) => (current.get(sessionId) ?? []).slice(-RECENT_REPORTS))
    })
  )
)
