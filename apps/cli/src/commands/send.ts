import { InvalidInput, sendMessage, sendView } from "@ao/domain"
import { Console, Effect, Option } from "effect"
import { readFileSync } from "node:fs"
import { checkSessionName, printJson, reportFailure, runUseCase } from "./run-use-case"
import { usageError } from "./usage-error"

const USAGE = "ao send <session> <message…> | ao send <session> --file <path>"

/** The message from the arguments (joined by spaces) or from --file, never both. */
const messageOf = (input: {
  readonly message: ReadonlyArray<string>
  readonly file: Option.Option<string>
  readonly json: boolean
}) =>
  Option.match(input.file, {
    onNone: () =>
      input.message.length === 0
        ? usageError("Say what to send: a message, or --file <path>.", USAGE)
        : Effect.succeed(input.message.join(" ")),
    onSome: (path) =>
      input.message.length > 0
        ? usageError("Pass either a message or --file, not both.", USAGE)
        : Effect.try({
            try: () => readFileSync(path, "utf8"),
            catch: (error) => new InvalidInput({ field: "message file", input: path, reason: String(error) })
          }).pipe(Effect.catchAll(reportFailure({ json: input.json })))
  })

export const send = (input: {
  readonly session: string
  readonly message: ReadonlyArray<string>
  readonly file: Option.Option<string>
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    const mode = { json: input.json, action: `send to session ${input.session}` }
    yield* checkSessionName(input.session, mode)
    const text = yield* messageOf(input)
    const result = yield* runUseCase(sendMessage(input.session, text), mode)
    if (input.json) return yield* printJson(sendView(result))
    yield* result.confirmed
      ? Console.log(`Message delivered to ${result.id}.`)
      : Console.log(
          `Message sent to ${result.id}, but it could not be confirmed: the pane did not show it afterwards (the agent may be busy or redrawing). Check with: ao session attach ${result.id}`
        )
  })
