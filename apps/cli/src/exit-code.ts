import type { ValidationError } from "@effect/cli"
import { Cause, Exit, Option } from "effect"
import type { CommandFailed } from "./command-failed"

/** Spec "Exit Codes": 0 success, 1 error. Invalid usage is 2, like most command-line tools. */
export const EXIT_SUCCESS = 0
export const EXIT_ERROR = 1
export const EXIT_USAGE = 2
/** `ao send`: the message was typed into the pane, but the pane never showed it arriving. */
export const EXIT_UNCONFIRMED = 3
/** Interrupted by SIGINT/SIGTERM, as shells report it. */
export const EXIT_INTERRUPTED = 130

export const exitCodeOf = <A>(exit: Exit.Exit<A, CommandFailed | ValidationError.ValidationError>): number => {
  if (Exit.isSuccess(exit)) return EXIT_SUCCESS
  if (Cause.isInterruptedOnly(exit.cause)) return EXIT_INTERRUPTED
  return Option.match(Cause.failureOption(exit.cause), {
    // A defect: a bug, already printed by main.
    onNone: () => EXIT_ERROR,
    onSome: (failure) => (failure._tag === "CommandFailed" ? failure.exitCode : EXIT_USAGE)
  })
}
