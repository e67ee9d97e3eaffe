import { listSessions, lookupWarnings, sessionListView } from "@ao/domain"
import { Console, Effect, type Option } from "effect"
import { renderSessionList } from "../render/session-list"
import { given } from "./optional-field"
import { printWarnings } from "./print-warnings"
import { cli, printJson, runUseCase } from "./run-use-case"

export const sessionLs = (input: {
  readonly project: Option.Option<string>
  readonly json: boolean
  readonly all: boolean
  readonly refresh: boolean
}) =>
  runUseCase(listSessions({ ...given("projectId", input.project), includeEnded: input.all, refresh: input.refresh }), {
    json: input.json
  }).pipe(
    Effect.tap((list) =>
      input.json
        ? printJson(sessionListView(list))
        : Console.log(renderSessionList(list, { style: cli.stdoutStyle(), homeDir: cli.homeDir }))
    ),
    Effect.flatMap((list) => printWarnings(lookupWarnings(list.sessions), input.json))
  )
