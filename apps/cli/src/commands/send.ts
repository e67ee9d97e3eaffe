import { InvalidInput, keyView, sendKey, sendMessage, sendView } from "@ao/domain"
import { Console, Effect, Option } from "effect"
import { readFileSync } from "node:fs"
import { CommandFailed } from "../command-failed"
import { EXIT_UNCONFIRMED } from "../exit-code"
import { checkSessionName, type OutputMode, printJson, reportFailure, runUseCase } from "./run-use-case"
import { usageError } from "./usage-error"

const USAGE = "ao send <session> <message…> | ao send <session> --file <path> | ao send <session> --key <key>"

interface SendInput {
  readonly session: string
  readonly message: ReadonlyArray<string>
  readonly file: Option.Option<string>
  readonly key: Option.Option<string>
  readonly noWait: boolean
  readonly json: boolean
}

/** The message from the arguments (joined by spaces) or from --file, never both. */
const messageOf = (input: SendInput) =>
  Option.match(input.file, {
    onNone: () =>
      input.message.length === 0
        ? usageError("Say what to send: a message, --file <path> or --key <key>.", USAGE)
        : Effect.succeed(input.message.join(" ")),
    onSome: (path) =>
      input.message.length > 0
        ? usageError("Pass either a message or --file, not both.", USAGE)
        : Effect.try({
            try: () => readFileSync(path, "utf8"),
            catch: (error) => new InvalidInput({ field: "message file", input: path, reason: String(error) })
          }).pipe(Effect.catchAll(reportFailure({ json: input.json })))
  })

const pressKey = (input: SendInput, key: string, mode: OutputMode) =>
  Effect.gen(function* () {
    if (input.message.length > 0 || Option.isSome(input.file)) {
      return yield* usageError("Pass either a message, --file or --key, one at a time.", USAGE)
    }
    const result = yield* runUseCase(sendKey(input.session, key), mode)
    yield* input.json ? printJson(keyView(result)) : Console.log(`Pressed ${result.key} in ${result.id}.`)
  })

/**
 * `ao send`: exit code 0 when the message was seen arriving (or --no-wait
 * was asked for), EXIT_UNCONFIRMED when it was typed but never seen, 1 on
 * an error (nothing typed), 2 on a usage error.
 */
export const send = (input: SendInput) =>
  Effect.gen(function* () {
    const mode = { json: input.json, action: `send to session ${input.session}`, session: input.session }
    yield* checkSessionName(input.session, mode)
    if (Option.isSome(input.key)) return yield* pressKey(input, input.key.value, mode)
    const text = yield* messageOf(input)
    const result = yield* runUseCase(sendMessage(input.session, text, { wait: !input.noWait }), mode)
    if (input.json) yield* printJson(sendView(result))
    else if (result.delivery === "confirmed") yield* Console.log(`Message delivered to ${result.id}.`)
    else if (result.delivery === "not-checked") yield* Console.log(`Message sent to ${result.id} (not waiting to confirm it).`)
    else {
      yield* Console.log(
        `Message typed into ${result.id}, but not confirmed: the pane did not show it anew afterwards (the agent may be busy or redrawing). Check with: ao session attach ${result.id}`
      )
    }
    if (result.delivery === "unconfirmed") return yield* new CommandFailed({ exitCode: EXIT_UNCONFIRMED })
  })
