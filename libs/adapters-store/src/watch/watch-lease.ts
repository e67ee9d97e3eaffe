import { join } from "node:path"
import { type LeaseAnswer, StoreFailed, type WatchHolder, WatchLease } from "@ao/domain"
import { Effect, Either, Layer, Option, Schema } from "effect"
import { createFileExclusive, type DiskError, ensureDirectory, readTextIfExists, removeFile } from "../disk"
import { currentProcess, isAlive } from "../process-identity"

export const watchLeasePath = (dataDir: string) => join(dataDir, "watch.lease")

const LeaseFile = Schema.parseJson(
  Schema.Struct({
    holder: Schema.Struct({ id: Schema.String, pid: Schema.Int, description: Schema.String, since: Schema.String }),
    startTicks: Schema.NullOr(Schema.String)
  })
)
const decodeLease = Schema.decodeUnknownEither(LeaseFile)
const encodeLease = Schema.encodeSync(LeaseFile)

/**
 * The lease is a file made exclusively (O_EXCL), naming the watcher and its
 * process (pid and start time, so a reused pid is not mistaken for it). A
 * holder that died loses it to the next watcher; a file nobody can read is
 * taken over too, since no live watcher wrote it.
 */
export const makeWatchLease = (options: { readonly dataDir: string }) => {
  const path = watchLeasePath(options.dataDir)
  const failed = (operation: string) => (error: DiskError) =>
    new StoreFailed({ operation, path, detail: `${error.operation}: ${error.detail}` })

  const current = Effect.map(Effect.mapError(readTextIfExists(path), failed("read the watch lease")), (text) =>
    Option.flatMap(text, (content) => Option.getRight(decodeLease(content)))
  )

  const acquire = (holder: WatchHolder, attempt: number): Effect.Effect<LeaseAnswer, StoreFailed> =>
    Effect.gen(function* () {
      yield* Effect.mapError(ensureDirectory(options.dataDir), failed("create the store directory"))
      const me = currentProcess()
      const content = encodeLease({ holder, startTicks: holder.pid === me.pid ? me.startTicks : null })
      const created = yield* Effect.either(createFileExclusive(path, `${content}\n`, "volatile"))
      if (Either.isRight(created)) return { _tag: "Acquired" } as const
      const held = yield* current
      if (Option.isSome(held)) {
        if (held.value.holder.id === holder.id) return { _tag: "Acquired" } as const
        if (isAlive({ pid: held.value.holder.pid, startTicks: held.value.startTicks })) {
          return { _tag: "Held", holder: held.value.holder } as const
        }
      }
      if (attempt >= 3) return yield* failed("take the watch lease")(created.left)
      yield* Effect.mapError(removeFile(path), failed("remove a dead watcher's lease"))
      return yield* acquire(holder, attempt + 1)
    })

  return WatchLease.of({
    acquire: (holder) => acquire(holder, 1),
    release: (holderId) =>
      Effect.gen(function* () {
        const held = yield* current
        if (Option.exists(held, (lease) => lease.holder.id === holderId)) {
          yield* Effect.mapError(removeFile(path), failed("release the watch lease"))
        }
      })
  })
}

export const makeWatchLeaseLayer = (options: { readonly dataDir: string }) => Layer.succeed(WatchLease, makeWatchLease(options))
