import { applyCleanup, cleanupPlanView, cleanupReportView, planCleanup } from "@ao/domain"
import { Console, Effect, Option } from "effect"
import { CommandFailed } from "../command-failed"
import { CLEANUP_HEADER, renderCleanupPlan, renderCleanupReport } from "../render/cleanup"
import { given } from "./optional-field"
import { printWarnings } from "./print-warnings"
import { cli, printJson, runUseCase } from "./run-use-case"

/** Plan, then (unless --dry-run) apply; one failing session never stops the others, but makes the exit code 1. */
export const sessionCleanup = (input: {
  readonly project: Option.Option<string>
  readonly dryRun: boolean
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    if (!input.json) yield* Console.log(CLEANUP_HEADER)
    const { plan, report } = yield* runUseCase(
      Effect.flatMap(planCleanup(given("projectId", input.project)), (plan) =>
        input.dryRun
          ? Effect.succeed({ plan, report: Option.none() })
          : Effect.map(applyCleanup(plan), (applied) => ({ plan, report: Option.some(applied) }))
      ),
      { json: input.json }
    )
    if (Option.isNone(report)) {
      yield* input.json ? printJson(cleanupPlanView(plan)) : Console.log(renderCleanupPlan(plan, cli.stdoutStyle()))
      return yield* printWarnings(plan.warnings, input.json)
    }
    yield* input.json
      ? printJson(cleanupReportView(plan, report.value))
      : Console.log(renderCleanupReport(plan, report.value, { style: cli.stdoutStyle(), homeDir: cli.homeDir }))
    yield* printWarnings(plan.warnings, input.json)
    if (report.value.failed.length > 0) return yield* new CommandFailed({ exitCode: 1 })
  })
