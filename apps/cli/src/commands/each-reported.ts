import { Effect, Either } from "effect"
import { CommandFailed } from "../command-failed"

/**
 * Runs `one` for every name in turn (a batch: `ao session kill a b c`,
 * `ao spawn app 1 2 3`), each reporting its own outcome, a failure never
 * stopping the rest; the command then fails with exit code 1 if any did.
 * `summary` gets the successes: one value for one name, an array for several,
 * so a single name's `--json` output keeps its shape.
 */
export const eachReported = <A, R>(
  names: ReadonlyArray<string>,
  one: (name: string) => Effect.Effect<A, CommandFailed, R>,
  summary: (done: A | ReadonlyArray<A>) => Effect.Effect<void>
): Effect.Effect<void, CommandFailed, R> =>
  Effect.gen(function* () {
    const outcomes = yield* Effect.forEach(names, (name) => Effect.either(one(name)))
    const done = outcomes.flatMap((outcome) => (Either.isRight(outcome) ? [outcome.right] : []))
    const [only] = done
    if (names.length === 1 && only !== undefined) yield* summary(only)
    else if (names.length > 1) yield* summary(done)
    if (done.length < outcomes.length) return yield* new CommandFailed({ exitCode: 1 })
  })
