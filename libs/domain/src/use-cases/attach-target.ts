import { Effect } from "effect"
import { SessionNotRunning } from "../errors"
import { Runtime } from "../ports/runtime"
import { SessionStore } from "../ports/session-store"
import { parseSessionName } from "../session-name"
import type { AttachTarget } from "./results"

/** The argv that attaches a terminal to a session, or SessionNotRunning with the restore hint. */
export const attachTarget = Effect.fn("Session.attachTarget")(function* (input: string) {
  const id = yield* parseSessionName(input)
  const session = yield* Effect.flatMap(SessionStore, (store) => store.get(id))
  const runtime = yield* Runtime
  if (!(yield* runtime.exists(session.runtimeHandle, session.runtimeServer))) return yield* new SessionNotRunning({ id })
  return { id, argv: runtime.attachCommand(session.runtimeHandle, session.runtimeServer) } satisfies AttachTarget
})
