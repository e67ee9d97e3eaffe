import { Context, type Effect } from "effect"
import type { StoreFailed } from "../errors"

/** A watcher: a unique id per run, the process, and words for people ("ao watch, pid 4242"). */
export interface WatchHolder {
  readonly id: string
  readonly pid: number
  readonly description: string
  /** ISO 8601. */
  readonly since: string
}

export type LeaseAnswer = { readonly _tag: "Acquired" } | { readonly _tag: "Held"; readonly holder: WatchHolder }

/** Only one watcher per store acts; a holder that died loses the lease to the next one. */
export class WatchLease extends Context.Tag("@ao/domain/WatchLease")<
  WatchLease,
  {
    /** Takes the lease, or says who holds it; taking it again as its holder succeeds. */
    readonly acquire: (holder: WatchHolder) => Effect.Effect<LeaseAnswer, StoreFailed>
    /** Gives it back, only if `holderId` holds it. */
    readonly release: (holderId: string) => Effect.Effect<void, StoreFailed>
  }
>() {}
