import { join } from "node:path"
import { StoreFailed } from "@ao/domain"
import { Effect, Option, Schema } from "effect"
import { ensureDirectory, readTextIfExists, writeFileAtomic } from "../disk"

/**
 * Which config files the user trusts to run commands, by path and the SHA-256
 * of their content: `$AO_HOME/trusted-configs.json`. A file whose content
 * changed since is not trusted until `ao trust` is run again.
 */
export const trustStorePath = (dataDir: string): string => join(dataDir, "trusted-configs.json")

const TrustStore = Schema.parseJson(
  Schema.Struct({ version: Schema.Literal(1), trusted: Schema.Record({ key: Schema.String, value: Schema.String }) })
)
type TrustStore = typeof TrustStore.Type

const readStore = (dataDir: string) =>
  Effect.map(readTextIfExists(trustStorePath(dataDir)), (text) =>
    Option.match(text, {
      onNone: (): TrustStore => ({ version: 1, trusted: {} }),
      // A damaged store trusts nothing; the next `ao trust` rewrites it.
      onSome: (json): TrustStore =>
        Option.getOrElse(Schema.decodeUnknownOption(TrustStore)(json), (): TrustStore => ({ version: 1, trusted: {} }))
    })
  )

/** Whether the file at `path` was trusted with exactly this content. An unreadable store trusts nothing. */
export const isTrusted = (dataDir: string, source: { readonly path: string; readonly sha256: string }) =>
  readStore(dataDir).pipe(
    Effect.map((store) => store.trusted[source.path] === source.sha256),
    Effect.catchTag("DiskError", () => Effect.succeed(false))
  )

/** Remembers that the user trusts `path` with the content hashed to `sha256`. */
export const recordTrust = Effect.fn("Config.recordTrust")(function* (
  dataDir: string,
  source: { readonly path: string; readonly sha256: string }
) {
  const path = trustStorePath(dataDir)
  yield* Effect.gen(function* () {
    yield* ensureDirectory(dataDir)
    const store = yield* readStore(dataDir)
    const next: TrustStore = { version: 1, trusted: { ...store.trusted, [source.path]: source.sha256 } }
    yield* writeFileAtomic(path, `${Schema.encodeSync(TrustStore)(next)}\n`)
  }).pipe(
    Effect.catchTag("DiskError", (error) => new StoreFailed({ operation: error.operation, path: error.path, detail: error.detail }))
  )
})
