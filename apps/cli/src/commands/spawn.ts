import { spawnSession, spawnView } from "@ao/domain"
import { Console, Effect, Option } from "effect"
import { renderSpawn } from "../render/spawn"
import { cli, printJson, runUseCase } from "./run-use-case"

export const spawn = (input: {
  readonly project: string
  readonly issue: Option.Option<string>
  readonly prompt: Option.Option<string>
  readonly agent: Option.Option<string>
  readonly json: boolean
}) =>
  runUseCase(
    spawnSession({
      projectId: input.project,
      ...Option.match(input.issue, { onNone: () => ({}), onSome: (issueId) => ({ issueId }) }),
      ...Option.match(input.prompt, { onNone: () => ({}), onSome: (prompt) => ({ prompt }) }),
      ...Option.match(input.agent, { onNone: () => ({}), onSome: (agent) => ({ agent }) })
    }),
    { json: input.json, action: `spawn a session in ${input.project}` }
  ).pipe(
    Effect.flatMap((session) =>
      input.json ? printJson(spawnView(session)) : Console.log(renderSpawn(session, cli.homeDir))
    )
  )
