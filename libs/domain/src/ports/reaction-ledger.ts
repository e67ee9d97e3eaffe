import { Context, type Effect } from "effect"
import type { StoreFailed } from "../errors"
import type { LedgerEntry } from "../watch/reaction-ledger-entry"

/**
 * Every reaction the watcher carried out, kept in the store so a restarted
 * (or another) watcher never repeats one. The latest entry of a key wins.
 */
export class ReactionLedger extends Context.Tag("@ao/domain/ReactionLedger")<
  ReactionLedger,
  {
    /** The latest entry of every key, oldest first. */
    readonly entries: Effect.Effect<ReadonlyArray<LedgerEntry>, StoreFailed>
    readonly record: (entry: LedgerEntry) => Effect.Effect<void, StoreFailed>
  }
>() {}
