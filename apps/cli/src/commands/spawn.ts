import { spawnSession, spawnView } from "@ao/domain"
import { Console, Effect, type Option } from "effect"
import { renderSpawn } from "../render/spawn"
import { eachReported } from "./each-reported"
import { given } from "./optional-field"
import { printWarnings } from "./print-warnings"
import { cli, printJson, runUseCase } from "./run-use-case"

interface SpawnInput {
  readonly project: string
  readonly issues: ReadonlyArray<string>
  readonly prompt: Option.Option<string>
  readonly agent: Option.Option<string>
  readonly noIssuePrompt: boolean
  readonly json: boolean
}

/** One session: for an issue, or numbered when `issue` is undefined. */
const spawnOne = (input: SpawnInput, issue: string | undefined) =>
  runUseCase(
    spawnSession({
      projectId: input.project,
      ...(issue === undefined ? {} : { issueId: issue }),
      ...given("prompt", input.prompt),
      ...given("agent", input.agent),
      ...(input.noIssuePrompt ? { issuePrompt: false } : {})
    }),
    { json: input.json, action: issue === undefined ? `spawn a session in ${input.project}` : `spawn ${input.project} ${issue}` }
  ).pipe(
    Effect.tap((spawned) => (input.json ? Effect.void : Console.log(renderSpawn(spawned, cli.homeDir)))),
    Effect.tap((spawned) => printWarnings(spawned.warnings, input.json)),
    Effect.map(spawnView)
  )

/** `ao spawn <project> [issue...]`: one numbered session, or one per issue, each reported in turn. */
export const spawn = (input: SpawnInput) => {
  const summary = input.json ? printJson : () => Effect.void
  return input.issues.length === 0
    ? Effect.flatMap(spawnOne(input, undefined), summary)
    : eachReported(input.issues, (issue) => spawnOne(input, issue), summary)
}
