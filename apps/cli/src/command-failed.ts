import { Data } from "effect"

/** A command has already told the user what went wrong; only the exit code is left to set. */
export class CommandFailed extends Data.TaggedError("CommandFailed")<{ readonly exitCode: number }> {}
