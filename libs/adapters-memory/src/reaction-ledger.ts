import { ledgerKey, type LedgerEntry, ReactionLedger } from "@ao/domain"
import { Effect, Layer, Ref } from "effect"

/** The ledger as a map in memory; insertion order kept, the latest entry of a key wins. */
export const makeMemoryReactionLedger = Effect.map(Ref.make<ReadonlyMap<string, LedgerEntry>>(new Map()), (entries) =>
  ReactionLedger.of({
    entries: Effect.map(Ref.get(entries), (all) => [...all.values()]),
    record: (entry) =>
      Ref.update(entries, (all) => {
        const next = new Map(all)
        next.delete(ledgerKey(entry))
        next.set(ledgerKey(entry), entry)
        return next
      })
  })
)

export const MemoryReactionLedger = Layer.effect(ReactionLedger, makeMemoryReactionLedger)
