import { Context, type Effect } from "effect"
import type { ActivityReport } from "../activity"
import type { StoreFailed } from "../errors"

/**
 * What agents said about themselves through their hooks, one log per
 * session. Reading costs no subprocess (`ls` reads the tail of every log).
 */
export class ActivityLog extends Context.Tag("@ao/domain/ActivityLog")<
  ActivityLog,
  {
    readonly append: (sessionId: string, report: ActivityReport) => Effect.Effect<void, StoreFailed>
    /**
     * The session's latest reports, oldest first; empty when it has none. A
     * log or line that cannot be read is no evidence (the screen decides),
     * never a failure of the listing.
     */
    readonly recent: (sessionId: string) => Effect.Effect<ReadonlyArray<ActivityReport>>
  }
>() {}
