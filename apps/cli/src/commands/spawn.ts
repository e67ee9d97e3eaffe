import { spawnSession, spawnView } from "@ao/domain"
import { Console, Effect, type Option } from "effect"
import { renderSpawn } from "../render/spawn"
import { given } from "./optional-field"
import { printWarnings } from "./print-warnings"
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
      ...given("issueId", input.issue),
      ...given("prompt", input.prompt),
      ...given("agent", input.agent)
    }),
    { json: input.json, action: `spawn a session in ${input.project}` }
  ).pipe(
    Effect.tap((spawned) =>
      input.json ? printJson(spawnView(spawned)) : Console.log(renderSpawn(spawned.session, cli.homeDir))
    ),
    Effect.flatMap((spawned) => printWarnings(spawned.warnings, input.json))
  )
