import { Context, Effect, Layer } from "effect"
import { ReopenedLedger, reactionLedgerContract } from "../src/contracts/reaction-ledger"
import { watchLeaseContract } from "../src/contracts/watch-lease"
import { makeMemoryReactionLedger } from "../src/reaction-ledger"
import { MemoryWatchLease } from "../src/watch-lease"
import { ReactionLedger } from "@ao/domain"

// In memory, "the same store" is the same ledger.
reactionLedgerContract("memory", () =>
  Layer.effectContext(
    Effect.map(makeMemoryReactionLedger, (ledger) =>
      Context.make(ReactionLedger, ledger).pipe(Context.add(ReopenedLedger, { open: Effect.succeed(ledger) }))
    )
  )
)

watchLeaseContract("memory", () => MemoryWatchLease)
