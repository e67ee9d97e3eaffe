import { type LeaseAnswer, type WatchHolder, WatchLease } from "@ao/domain"
import { Effect, Layer, Option, Ref } from "effect"

/** One lease in memory: held until its holder releases it (no process can die under it here). */
export const makeMemoryWatchLease = Effect.map(Ref.make(Option.none<WatchHolder>()), (held) =>
  WatchLease.of({
    acquire: (holder) =>
      Ref.modify(held, (current): readonly [LeaseAnswer, Option.Option<WatchHolder>] =>
        Option.isSome(current) && current.value.id !== holder.id
          ? [{ _tag: "Held", holder: current.value }, current]
          : [{ _tag: "Acquired" }, Option.some(Option.getOrElse(current, () => holder))]
      ),
    release: (holderId) => Ref.update(held, (current) => (Option.exists(current, (holder) => holder.id === holderId) ? Option.none() : current))
  })
)

export const MemoryWatchLease = Layer.effect(WatchLease, makeMemoryWatchLease)
