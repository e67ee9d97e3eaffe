import { randomBytes } from "node:crypto"
import { mkdir, readFile, rename, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { Lookup, PullRequest } from "@ao/domain"
import { Clock, Context, Data, Duration, Effect, Layer, Schema } from "effect"

/**
 * Recent PR answers on disk, so `ls` run again within the TTL asks GitHub
 * nothing (and does not even load octokit). Only Found and Absent are kept:
 * an Unknown is asked again next time. An Absent ("no PR yet") lives only
 * `missTtl`, far shorter than a found PR, so a PR just opened shows up soon.
 * Cleanup and `--refresh` never read it.
 */
export class PullRequestCache extends Context.Tag("@ao/adapters-tracker/PullRequestCache")<
  PullRequestCache,
  {
    /** The entries younger than the TTL among `keys`. */
    readonly read: (keys: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, Lookup<PullRequest>>>
    readonly write: (entries: ReadonlyMap<string, Lookup<PullRequest>>) => Effect.Effect<void>
  }
>() {}

export const CACHE_FILE = "github-pull-requests.json"

const CacheFile = Schema.parseJson(
  Schema.Struct({
    version: Schema.Literal(1),
    entries: Schema.Record({
      key: Schema.String,
      value: Schema.Struct({ at: Schema.Number, pr: Schema.NullOr(PullRequest) })
    })
  })
)
type Entries = (typeof CacheFile.Type)["entries"]

class CacheFailed extends Data.TaggedError("CacheFailed")<{ readonly operation: string; readonly path: string; readonly cause: unknown }> {}

const isMissing = (error: unknown) => typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT"

export const PullRequestCacheLive = (options: {
  readonly dir: string
  /** How long a found PR is reused. */
  readonly ttl: Duration.DurationInput
  /** How long "no PR" is reused; at most `ttl`. */
  readonly missTtl: Duration.DurationInput
}): Layer.Layer<PullRequestCache> =>
  Layer.sync(PullRequestCache, () => {
    const path = join(options.dir, CACHE_FILE)
    const ttl = Duration.toMillis(options.ttl)
    const missTtl = Math.min(Duration.toMillis(options.missTtl), ttl)
    const ttlOf = (entry: Entries[string]) => (entry.pr === null ? missTtl : ttl)

    /** A missing file is an empty cache; an unreadable one is too — it is rewritten on the next write. */
    const load: Effect.Effect<Entries> = Effect.tryPromise({
      try: () => readFile(path, "utf8"),
      catch: (cause) => new CacheFailed({ operation: "read", path, cause })
    }).pipe(
      Effect.flatMap((text) => Schema.decodeUnknown(CacheFile)(text)),
      Effect.map((file) => file.entries),
      Effect.catchAll((failure) =>
        failure._tag === "CacheFailed" && isMissing(failure.cause)
          ? Effect.succeed({})
          : Effect.as(Effect.logDebug(`Ignoring the unreadable PR cache ${path}`, failure), {})
      )
    )

    const fresh = (entries: Entries, now: number): Entries =>
      Object.fromEntries(Object.entries(entries).filter(([, entry]) => now - entry.at < ttlOf(entry) && entry.at <= now))

    return PullRequestCache.of({
      read: (keys) =>
        Effect.gen(function* () {
          if (ttl <= 0 || keys.length === 0) return new Map()
          const entries = fresh(yield* load, yield* Clock.currentTimeMillis)
          return new Map(
            keys.flatMap((key) => {
              const entry = entries[key]
              return entry === undefined ? [] : [[key, entry.pr === null ? Lookup.absent<PullRequest>() : Lookup.found(entry.pr)] as const]
            })
          )
        }),
      write: (answers) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const known = [...answers].filter(([, lookup]) => lookup._tag === "Found" || (lookup._tag === "Absent" && missTtl > 0))
          if (ttl <= 0 || known.length === 0) return
          const entries: Entries = {
            ...fresh(yield* load, now),
            ...Object.fromEntries(known.map(([key, lookup]) => [key, { at: now, pr: lookup._tag === "Found" ? lookup.value : null }]))
          }
          const text = yield* Schema.encode(CacheFile)({ version: 1, entries })
          // Write then rename, so a concurrent reader never sees half a file; one temporary file per write,
          // as two writes inside one process (ao-api) must not write into the same one.
          const temporary = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`
          yield* Effect.tryPromise({
            try: async () => {
              await mkdir(options.dir, { recursive: true })
              await writeFile(temporary, text, "utf8")
              await rename(temporary, path)
            },
            catch: (cause) => new CacheFailed({ operation: "write", path, cause })
          })
        }).pipe(
          // A cache that cannot be written only costs a request next time.
          Effect.catchAll((failure) => Effect.logDebug(`Could not write the PR cache ${path}`, failure))
        )
    })
  })
