import { describe, expect, it } from "@effect/vitest"
import { LedgerEntry, ReactionLedger } from "@ao/domain"
import { Context, DateTime, Effect, type Layer } from "effect"

export const aLedgerEntry = (overrides: Partial<ConstructorParameters<typeof LedgerEntry>[0]> = {}): LedgerEntry =>
  new LedgerEntry({
    sessionId: "app-1",
    kind: "ci-failed",
    trigger: "abc123",
    outcome: "sent",
    attempts: 0,
    at: DateTime.unsafeMake("2026-01-02T03:04:05.000Z"),
    detail: "sent to the agent (confirmed)",
    ...overrides
  })

/**
 * What every ReactionLedger must do. `fresh` builds an empty ledger; `reopen`
 * (where the adapter has one) a second instance over the same store, as a
 * restarted watcher would get.
 */
export const reactionLedgerContract = (
  name: string,
  fresh: () => Layer.Layer<ReactionLedger | ReopenedLedger, unknown>
) =>
  describe(`ReactionLedger contract: ${name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, ReactionLedger | ReopenedLedger>) => Effect.provide(effect, fresh())

    it.live("an empty ledger has no entries; recorded ones read back with every field", () =>
      run(
        Effect.gen(function* () {
          const ledger = yield* ReactionLedger
          expect(yield* ledger.entries).toEqual([])
          const entry = aLedgerEntry({ detail: "quoted \"detail\"\nwith a newline" })
          yield* ledger.record(entry)
          const [read] = yield* ledger.entries
          expect(read).toEqual(entry)
        })
      )
    )

    it.live("the latest entry of a key wins; different triggers are different keys", () =>
      run(
        Effect.gen(function* () {
          const ledger = yield* ReactionLedger
          yield* ledger.record(aLedgerEntry({ outcome: "queued" }))
          yield* ledger.record(aLedgerEntry({ trigger: "def456", outcome: "failed", attempts: 1 }))
          yield* ledger.record(aLedgerEntry({ outcome: "sent" }))
          yield* ledger.record(aLedgerEntry({ sessionId: "app-2", kind: "pr-merged", trigger: "pr-7", outcome: "notified" }))
          const entries = yield* ledger.entries
          expect(entries.map((entry) => [entry.sessionId, entry.kind, entry.trigger, entry.outcome, entry.attempts])).toEqual([
            ["app-1", "ci-failed", "def456", "failed", 1],
            ["app-1", "ci-failed", "abc123", "sent", 0],
            ["app-2", "pr-merged", "pr-7", "notified", 0]
          ])
        })
      )
    )

    it.live("a second ledger over the same store (a restarted watcher) sees every entry", () =>
      run(
        Effect.gen(function* () {
          const ledger = yield* ReactionLedger
          yield* ledger.record(aLedgerEntry())
          yield* ledger.record(aLedgerEntry({ trigger: "def456", outcome: "escalated" }))
          const reopened = yield* (yield* ReopenedLedger).open
          expect((yield* reopened.entries).map((entry) => [entry.trigger, entry.outcome])).toEqual([
            ["abc123", "sent"],
            ["def456", "escalated"]
          ])
        })
      )
    )
  })

/** Opens the same store again, as a new process would. */
export class ReopenedLedger extends Context.Tag("@ao/adapters-memory/contracts/ReopenedLedger")<
  ReopenedLedger,
  { readonly open: Effect.Effect<ReactionLedger["Type"]> }
>() {}
