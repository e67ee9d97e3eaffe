import { Duration, Effect, Option } from "effect"
import { InvalidInput, SessionNotRunning } from "../errors"
import { Runtime } from "../ports/runtime"
import { SessionStore } from "../ports/session-store"
import { parseSessionName } from "../session-name"
import { recordEvent } from "./record-event"
import type { SendResult } from "./results"
import { runtimeIndex } from "./runtime-index"

const CONFIRM_ATTEMPTS = 5
const CONFIRM_INTERVAL = Duration.millis(300)
const CAPTURE_HISTORY_LINES = 200

/** Without white space: the pane wraps long lines and pads them. */
const compact = (text: string): string => text.replace(/\s+/g, "")

/**
 * Whether the pane shows the message. Its last non-empty line is looked for,
 * as the agent's input box may show only the end of a long message.
 */
export const paneShowsMessage = (pane: string, message: string): boolean => {
  const lines = message.split(/\r?\n/).filter((line) => line.trim().length > 0)
  const last = lines[lines.length - 1]
  return last !== undefined && compact(pane).includes(compact(last))
}

/**
 * `ao send`: types the message into the agent's pane, then reads the pane
 * back a few times to confirm it arrived.
 */
export const sendMessage = Effect.fn("Session.send")(function* (input: string, text: string) {
  const id = yield* parseSessionName(input)
  if (text.trim().length === 0) {
    return yield* new InvalidInput({ field: "message", input: text, reason: "it is empty; say what the agent should do" })
  }
  const session = yield* Effect.flatMap(SessionStore, (store) => store.get(id))
  const runtime = yield* Runtime
  const info = (yield* runtimeIndex).find(session.runtimeHandle)
  if (Option.isNone(info) || info.value.paneDead) return yield* new SessionNotRunning({ id })
  yield* runtime.sendText(session.runtimeHandle, text)
  let confirmed = false
  for (let attempt = 1; attempt <= CONFIRM_ATTEMPTS && !confirmed; attempt++) {
    if (attempt > 1) yield* Effect.sleep(CONFIRM_INTERVAL)
    confirmed = paneShowsMessage(yield* runtime.capture(session.runtimeHandle, CAPTURE_HISTORY_LINES), text)
  }
  yield* recordEvent({
    sessionId: id,
    projectId: session.projectId,
    kind: "message-sent",
    reason: "ao send",
    details: { characters: String(text.length), confirmed: String(confirmed) }
  })
  return { id, confirmed } satisfies SendResult
})
