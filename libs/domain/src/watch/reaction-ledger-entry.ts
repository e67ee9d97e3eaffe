import { Schema } from "effect"
import { ReactionKind } from "./reaction-settings"

/**
 * How a keyed reaction ended (so far). `queued`: waiting for the agent to be
 * ready; `failed`: its delivery failed `attempts` times and may be retried;
 * the others are final and never repeated.
 */
export const ReactionOutcome = Schema.Literal("sent", "notified", "escalated", "merged", "cleaned", "queued", "failed", "gave-up")
export type ReactionOutcome = typeof ReactionOutcome.Type

export const FINAL_OUTCOMES: ReadonlyArray<ReactionOutcome> = ["sent", "notified", "escalated", "merged", "cleaned", "gave-up"]

/** One reaction as the store remembers it: keyed by session, kind and trigger (a head SHA, a review id, …). */
export class LedgerEntry extends Schema.Class<LedgerEntry>("LedgerEntry")({
  sessionId: Schema.String,
  kind: ReactionKind,
  trigger: Schema.String,
  outcome: ReactionOutcome,
  attempts: Schema.Int.pipe(Schema.nonNegative()),
  at: Schema.DateTimeUtc,
  detail: Schema.String
}) {}

export const ledgerKey = (entry: { readonly sessionId: string; readonly kind: ReactionKind; readonly trigger: string }): string =>
  `${entry.sessionId}\u0000${entry.kind}\u0000${entry.trigger}`

export const decodeLedgerEntry = Schema.decodeUnknown(Schema.parseJson(LedgerEntry))
export const encodeLedgerEntry = Schema.encode(Schema.parseJson(LedgerEntry))
