import { listSessions, lookupWarnings, sessionListView } from "@ao/domain"
import { Console, Effect, Option } from "effect"
import { renderSessionList, renderSessionNames } from "../render/session-list"
import { given } from "./optional-field"
import { printWarnings } from "./print-warnings"
import { cli, printJson, runUseCase } from "./run-use-case"

/** Prints `text` and a newline unless it is empty: an empty listing prints nothing at all. */
const printLines = (print: (text: string) => Effect.Effect<void>, text: string) =>
  text.length === 0 ? Effect.void : print(text)

export const sessionLs = (input: {
  readonly project: Option.Option<string>
  readonly json: boolean
  readonly all: boolean
  readonly quiet: boolean
  readonly refresh: boolean
}) =>
  runUseCase(listSessions({ ...given("projectId", input.project), includeEnded: input.all, refresh: input.refresh }), {
    json: input.json
  }).pipe(
    Effect.tap((list) => {
      if (input.json) return printJson(sessionListView(list))
      if (input.quiet) return printLines(Console.log, renderSessionNames(list))
      const rendered = renderSessionList(list, {
        style: cli.stdoutStyle(),
        homeDir: cli.homeDir,
        headers: Option.isNone(input.project)
      })
      return Effect.zipRight(printLines(Console.log, rendered.stdout), printLines(Console.error, rendered.stderr))
    }),
    Effect.flatMap((list) => printWarnings(lookupWarnings(list.sessions), input.json))
  )
