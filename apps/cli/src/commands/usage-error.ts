import { Console, Effect } from "effect"
import { CommandFailed } from "../command-failed"
import { EXIT_USAGE } from "../exit-code"

/** A combination of arguments @effect/cli cannot rule out by itself: say what is wrong and how to call it. */
export const usageError = (problem: string, usage: string): Effect.Effect<never, CommandFailed> =>
  Effect.zipRight(Console.error(`${problem}\nUsage: ${usage}`), Effect.fail(new CommandFailed({ exitCode: EXIT_USAGE })))
