import { type Notification, Notifier, type NotifierOutcome, type NotifierProblem } from "@ao/domain"
import { Context, Effect, Layer, Ref } from "effect"

/** What the in-memory notifier was asked to tell, and a switch to make it fail. */
export class MemoryNotifierControl extends Context.Tag("@ao/adapters-memory/MemoryNotifierControl")<
  MemoryNotifierControl,
  {
    readonly sent: Effect.Effect<ReadonlyArray<Notification>>
    readonly failWith: (detail: string | null) => Effect.Effect<void>
    /** What `problems` reports from now on. */
    readonly setProblems: (problems: ReadonlyArray<NotifierProblem>) => Effect.Effect<void>
  }
>() {}

/** A notifier named `memory` that records every notification it delivers. */
export const MemoryNotifier: Layer.Layer<Notifier | MemoryNotifierControl> = Layer.effectContext(
  Effect.gen(function* () {
    const sent = yield* Ref.make<ReadonlyArray<Notification>>([])
    const failure = yield* Ref.make<string | null>(null)
    const problems = yield* Ref.make<ReadonlyArray<NotifierProblem>>([])
    const notifier = Notifier.of({
      notify: (notification) =>
        Effect.gen(function* () {
          const detail = yield* Ref.get(failure)
          if (detail !== null) return [{ notifier: "memory", result: "failed", detail }] satisfies ReadonlyArray<NotifierOutcome>
          yield* Ref.update(sent, (all) => [...all, notification])
          return [{ notifier: "memory", result: "delivered", detail: "" }] satisfies ReadonlyArray<NotifierOutcome>
        }),
      problems: Ref.get(problems)
    })
    return Context.make(Notifier, notifier).pipe(
      Context.add(MemoryNotifierControl, { sent: Ref.get(sent), failWith: (detail) => Ref.set(failure, detail), setProblems: (next) => Ref.set(problems, next) })
    )
  })
)
