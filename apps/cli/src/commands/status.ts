import { lookupWarnings, sessionStatus, statusView } from "@ao/domain"
import { Console, Effect, type Option } from "effect"
import { renderStatus } from "../render/status"
import { given } from "./optional-field"
import { printWarnings } from "./print-warnings"
import { cli, printJson, runUseCase } from "./run-use-case"

/** `ao status`; `--json` is a top-level array, so `jq '.[] | select(.name==…)'` works as the spec shows. */
export const status = (input: {
  readonly project: Option.Option<string>
  readonly json: boolean
  readonly refresh: boolean
  readonly waiting: boolean
}) =>
  runUseCase(sessionStatus({ ...given("projectId", input.project), refresh: input.refresh, waiting: input.waiting }), {
    json: input.json
  }).pipe(
    Effect.tap((report) =>
      input.json
        ? printJson(statusView(report))
        : Console.log(renderStatus(report, { style: cli.stdoutStyle(), homeDir: cli.homeDir, waiting: input.waiting }))
    ),
    Effect.flatMap((report) => printWarnings(lookupWarnings(report.rows), input.json))
  )
