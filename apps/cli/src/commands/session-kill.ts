import { killSession, killView } from "@ao/domain"
import { Console, Effect } from "effect"
import { renderKill } from "../render/kill"
import { checkSessionName, printJson, runUseCase } from "./run-use-case"

export const sessionKill = (input: { readonly session: string; readonly json: boolean; readonly force: boolean }) => {
  const mode = { json: input.json, action: `kill session ${input.session}` }
  return checkSessionName(input.session, mode).pipe(
    Effect.zipRight(runUseCase(killSession(input.session, { force: input.force }), mode)),
    Effect.flatMap((result) => (input.json ? printJson(killView(result)) : Console.log(renderKill(result))))
  )
}
