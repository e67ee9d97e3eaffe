import { killSession, killView } from "@ao/domain"
import { Console, Effect } from "effect"
import { renderKill } from "../render/kill"
import { printJson, runUseCase } from "./run-use-case"

export const sessionKill = (input: { readonly session: string; readonly json: boolean }) =>
  runUseCase(killSession(input.session), { json: input.json, action: `kill session ${input.session}` }).pipe(
    Effect.flatMap((result) => (input.json ? printJson(killView(result)) : Console.log(renderKill(result))))
  )
