import { join } from "node:path"
import { decodeLedgerEntry, encodeLedgerEntry, ledgerKey, type LedgerEntry, ReactionLedger, StoreFailed } from "@ao/domain"
import { Effect, Either, Layer, Option } from "effect"
import { appendLine, type DiskError, ensureDirectory, readTextIfExists } from "../disk"

export const reactionLedgerPath = (dataDir: string) => join(dataDir, "reactions.jsonl")

/**
 * The ledger as JSON lines, appended one per reaction step; reading folds
 * them, the latest line of a key winning. A torn last line (a crash
 * mid-append) holds no entry and is passed over.
 */
export const makeReactionLedger = (options: { readonly dataDir: string }) => {
  const path = reactionLedgerPath(options.dataDir)
  const failed = (operation: string) => (error: DiskError) =>
    new StoreFailed({ operation, path, detail: `${error.operation}: ${error.detail}` })
  return ReactionLedger.of({
    entries: Effect.gen(function* () {
      const text = yield* Effect.mapError(readTextIfExists(path), failed("read the reaction ledger"))
      const latest = new Map<string, LedgerEntry>()
      for (const line of Option.getOrElse(text, () => "").split("\n")) {
        if (line.trim() === "") continue
        const decoded = yield* Effect.either(decodeLedgerEntry(line))
        if (Either.isLeft(decoded)) continue
        latest.delete(ledgerKey(decoded.right))
        latest.set(ledgerKey(decoded.right), decoded.right)
      }
      return [...latest.values()]
    }),
    record: (entry) =>
      Effect.gen(function* () {
        yield* Effect.mapError(ensureDirectory(options.dataDir), failed("create the store directory"))
        const line = yield* Effect.orDie(encodeLedgerEntry(entry))
        yield* Effect.mapError(appendLine(path, `${line}\n`), failed("append to the reaction ledger"))
      })
  })
}

export const makeReactionLedgerLayer = (options: { readonly dataDir: string }) =>
  Layer.succeed(ReactionLedger, makeReactionLedger(options))
