import { killSession, killView } from "@ao/domain"
import { Console, Effect } from "effect"
import { renderKill } from "../render/kill"
import { eachReported } from "./each-reported"
import { checkSessionName, printJson, runUseCase } from "./run-use-case"

/** One session: the kill, its report, or its failure on stderr. */
const killOne = (session: string, json: boolean, force: boolean) => {
  const mode = { json, action: `kill session ${session}`, session }
  return checkSessionName(session, mode).pipe(
    Effect.zipRight(runUseCase(killSession(session, { force }), mode)),
    Effect.tap((result) => (json ? Effect.void : Console.log(renderKill(result)))),
    Effect.map(killView)
  )
}

/** `ao session kill <session>...`: each in turn, a failure never stopping the rest. */
export const sessionKill = (input: {
  readonly sessions: ReadonlyArray<string>
  readonly json: boolean
  readonly force: boolean
}) => eachReported(input.sessions, (session) => killOne(session, input.json, input.force), input.json ? printJson : () => Effect.void)
