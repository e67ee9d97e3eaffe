import { restoreAll, restoreAllView, restoreSession, restoreView } from "@ao/domain"
import { Console, Effect, Option } from "effect"
import { CommandFailed } from "../command-failed"
import { renderRestore, renderRestoreAll } from "../render/restore"
import { checkSessionName, cli, printJson, runUseCase } from "./run-use-case"
import { printWarnings } from "./print-warnings"
import { usageError } from "./usage-error"

const USAGE = "ao session restore <session> [--recreate] | ao session restore --all [--recreate]"

export const sessionRestore = (input: {
  readonly session: Option.Option<string>
  readonly all: boolean
  readonly recreate: boolean
  readonly json: boolean
}) =>
  Option.match(input.session, {
    onNone: () => (input.all ? restoreEverything(input) : usageError("Name the session to restore, or pass --all.", USAGE)),
    onSome: (session) =>
      input.all
        ? usageError("Pass either a session name or --all, not both.", USAGE)
        : restoreOne(session, input)
  })

const restoreOne = (session: string, input: { readonly recreate: boolean; readonly json: boolean }) => {
  const mode = { json: input.json, action: `restore session ${session}`, session }
  return checkSessionName(session, mode).pipe(
    Effect.zipRight(runUseCase(restoreSession(session, { recreate: input.recreate }), mode)),
    Effect.tap((result) =>
      input.json ? printJson(restoreView(result)) : Console.log(renderRestore(result, cli.homeDir))
    ),
    Effect.flatMap((result) => printWarnings(result.warnings, input.json))
  )
}

/** After a reboot: every session whose runtime is gone; exit code 1 when any of them failed. */
const restoreEverything = ({ json, recreate }: { readonly json: boolean; readonly recreate: boolean }) =>
  Effect.gen(function* () {
    const report = yield* runUseCase(restoreAll({ recreate }), { json })
    yield* json ? printJson(restoreAllView(report)) : Console.log(renderRestoreAll(report, cli.homeDir))
    if (report.failed.length > 0) return yield* new CommandFailed({ exitCode: 1 })
  })
