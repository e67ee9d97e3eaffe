import { listSessions, sessionListView } from "@ao/domain"
import { Console, Effect, type Option } from "effect"
import { renderSessionList } from "../render/session-list"
import { given } from "./optional-field"
import { cli, printJson, runUseCase } from "./run-use-case"

export const sessionLs = (input: { readonly project: Option.Option<string>; readonly json: boolean; readonly all: boolean }) =>
  runUseCase(listSessions({ ...given("projectId", input.project), includeEnded: input.all }), { json: input.json }).pipe(
    Effect.flatMap((list) =>
      input.json
        ? printJson(sessionListView(list))
        : Console.log(renderSessionList(list, { style: cli.stdoutStyle(), homeDir: cli.homeDir }))
    )
  )
