import { diagnose, doctorView, repair } from "@ao/domain"
import { Console, Effect } from "effect"
import { CommandFailed } from "../command-failed"
import { DOCTOR_HEADER, renderDoctor } from "../render/doctor"
import { cli, printJson, runUseCase } from "./run-use-case"

/**
 * Diagnose; with --fix, repair what is safe and diagnose again, so the
 * report shows what is left. Exit code 1 while any problem remains.
 */
export const doctor = (input: { readonly fix: boolean; readonly json: boolean }) =>
  Effect.gen(function* () {
    const mode = { json: input.json, action: "check ao's sessions" }
    if (!input.json) yield* Console.log(DOCTOR_HEADER)
    const checked = yield* runUseCase(
      Effect.gen(function* () {
        const first = yield* diagnose()
        if (!input.fix) return { report: first, repairs: undefined }
        const repairs = yield* repair(first)
        return { report: yield* diagnose(), repairs }
      }),
      mode
    )
    yield* input.json
      ? printJson(doctorView(checked.report, checked.repairs))
      : Console.log(renderDoctor(checked.report, checked.repairs, { style: cli.stdoutStyle(), homeDir: cli.homeDir }))
    if (checked.report.findings.length > 0) return yield* new CommandFailed({ exitCode: 1 })
  })
