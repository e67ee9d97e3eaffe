import { followSessionOutput, outputView, sessionOutput } from "@ao/domain"
import { Console, Effect, Option, Stream } from "effect"
import { checkSessionName, printJson, runUseCase } from "./run-use-case"
import { usageError } from "./usage-error"

const USAGE = "ao logs <session> [-n <lines>] [-f] [--ansi] [--json]"
/** Enough to see what the agent is doing; a full screen and some. */
export const DEFAULT_LINES = 50
const MAX_LINES = 100_000

interface LogsInput {
  readonly session: string
  readonly lines: Option.Option<number>
  readonly follow: boolean
  readonly ansi: boolean
  readonly json: boolean
}

const linesOf = (input: LogsInput) =>
  Option.match(input.lines, {
    onNone: () => Effect.succeed(DEFAULT_LINES),
    onSome: (count) =>
      Number.isInteger(count) && count >= 1 && count <= MAX_LINES
        ? Effect.succeed(count)
        : usageError(`-n takes a whole number of lines from 1 to ${MAX_LINES}; got ${count}.`, USAGE)
  })

/**
 * `ao logs`: a session's recent output without attaching. With -f it keeps
 * printing what the pane adds until the session ends (or Ctrl-C); with
 * --json, one JSON object per change, one per line.
 */
export const logs = (input: LogsInput) =>
  Effect.gen(function* () {
    const mode = { json: input.json, action: `read the output of session ${input.session}`, session: input.session }
    yield* checkSessionName(input.session, mode)
    const lines = yield* linesOf(input)
    const options = { lines, ansi: input.ansi }
    if (!input.follow) {
      const result = yield* runUseCase(sessionOutput(input.session, options), mode)
      if (input.json) return yield* printJson(outputView(result))
      if (result.lines.length > 0) yield* Console.log(result.lines.join("\n"))
      return
    }
    yield* runUseCase(
      Effect.gen(function* () {
        const { id, changes } = yield* followSessionOutput(input.session, options)
        yield* Stream.runForEach(changes, (change) =>
          input.json
            ? Console.log(JSON.stringify({ name: id, redrawn: change.redrawn, lines: change.lines }))
            : change.lines.length > 0
              ? Console.log(change.lines.join("\n"))
              : Effect.void
        )
        if (!input.json) yield* Console.error(`Session ${id} is no longer running.`)
      }),
      mode
    )
  })
