import { applyCleanup, cleanupPlanView, cleanupReportView, planCleanup } from "@ao/domain"
import { Console, Effect, type Option } from "effect"
import { CommandFailed } from "../command-failed"
import { CLEANUP_HEADER, renderCleanupPlan, renderCleanupReport } from "../render/cleanup"
import { given } from "./optional-field"
import { cli, printJson, runUseCase } from "./run-use-case"

/** Plan, then (unless --dry-run) apply; one failing session never stops the others, but makes the exit code 1. */
export const sessionCleanup = (input: {
  readonly project: Option.Option<string>
  readonly dryRun: boolean
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    const mode = { json: input.json }
    if (!input.json) yield* Console.log(CLEANUP_HEADER)
    const plan = yield* runUseCase(planCleanup(given("projectId", input.project)), mode)
    if (input.dryRun) {
      return yield* input.json ? printJson(cleanupPlanView(plan)) : Console.log(renderCleanupPlan(plan, cli.stdoutStyle()))
    }
    const report = yield* runUseCase(applyCleanup(plan), mode)
    yield* input.json
      ? printJson(cleanupReportView(plan, report))
      : Console.log(renderCleanupReport(plan, report, { style: cli.stdoutStyle(), homeDir: cli.homeDir }))
    if (report.failed.length > 0) return yield* new CommandFailed({ exitCode: 1 })
  })
