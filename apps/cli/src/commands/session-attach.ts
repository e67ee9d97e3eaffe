import { attachTarget } from "@ao/domain"
import { Console, Effect } from "effect"
import { spawnSync } from "node:child_process"
import { CommandFailed } from "../command-failed"
import { checkSessionName, runUseCase } from "./run-use-case"

/**
 * Hands this terminal to tmux (exact target). A session that is not running
 * gets the restore hint from the use case; without a terminal there is
 * nothing to attach, and the user is told so.
 */
export const sessionAttach = (input: { readonly session: string }) =>
  Effect.gen(function* () {
    const mode = { json: false, action: `attach to session ${input.session}`, session: input.session }
    yield* checkSessionName(input.session, mode)
    const target = yield* runUseCase(attachTarget(input.session), mode)
    if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) {
      yield* Console.error(
        `Cannot attach to session ${target.id}: not a terminal\nRun it from a terminal: ${target.argv.join(" ")}`
      )
      return yield* new CommandFailed({ exitCode: 1 })
    }
    const [command = "tmux", ...args] = target.argv
    const attached = spawnSync(command, args, { stdio: "inherit" })
    if (attached.status !== 0) return yield* new CommandFailed({ exitCode: attached.status ?? 1 })
  })
