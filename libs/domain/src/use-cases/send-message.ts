import { Duration, Effect, Schema } from "effect"
import { InvalidInput, RuntimeFailed, SessionNotRunning } from "../errors"
import { Runtime } from "../ports/runtime"
import { SessionStore } from "../ports/session-store"
import { AgentKey, AGENT_KEYS, firstControlCharacter, occurrencesInPane } from "../rules/agent-input"
import { parseSessionName } from "../session-name"
import { recordEvent } from "./record-event"
import type { KeyResult, SendResult } from "./results"
import { runtimeIndexOf, runtimeUnknownText } from "./runtime-index"

const CONFIRM_ATTEMPTS = 5
const CONFIRM_INTERVAL = Duration.millis(300)
/** tmux's default history limit: the same window before and after, so old text cannot pass for new. */
const CAPTURE_HISTORY_LINES = 2000

/** A message is text only; the error names the first character that is not, and where it is. */
const checkText = (text: string): Effect.Effect<void, InvalidInput> => {
  if (text.trim().length === 0) {
    return Effect.fail(new InvalidInput({ field: "message", input: text, reason: "it is empty; say what the agent should do" }))
  }
  const control = firstControlCharacter(text)
  if (control === undefined) return Effect.void
  return Effect.fail(
    new InvalidInput({
      field: "message",
      input: text.slice(Math.max(0, control.offset - 20), control.offset + 20),
      reason:
        `it holds ${control.name} (${control.codePoint}) at offset ${control.offset}; a message may only hold text, line breaks and tabs. ` +
        `To press a key, use ao send <session> --key ${AGENT_KEYS.join("|")}`
    })
  )
}

/** Only keys of the fixed list: anything else could be any escape sequence. */
const parseAgentKey = (name: string): Effect.Effect<AgentKey, InvalidInput> =>
  Schema.decodeUnknown(AgentKey)(name).pipe(
    Effect.mapError(
      () => new InvalidInput({ field: "key", input: name.slice(0, 40), reason: `press one of ${AGENT_KEYS.join(", ")}` })
    )
  )

/** The session's runtime handle, when its agent is there to receive input. */
const runningTarget = Effect.fn("Session.sendTarget")(function* (input: string) {
  const id = yield* parseSessionName(input)
  const session = yield* Effect.flatMap(SessionStore, (store) => store.get(id))
  const presence = (yield* runtimeIndexOf([session])).presence(session.runtimeHandle, session.runtimeServer)
  if (presence._tag === "Unknown") {
    return yield* new RuntimeFailed({
      operation: "send to session",
      target: id,
      detail: `${runtimeUnknownText(presence.reason)}; nothing was sent`
    })
  }
  if (presence._tag === "Absent" || presence.info.paneDead) return yield* new SessionNotRunning({ id })
  return { id, session }
})

/**
 * `ao send`: checks the message is text, pastes it into the agent's pane,
 * then (unless told not to wait) reads the pane back a few times: delivery
 * is confirmed only when the message shows up once more than before the
 * paste, so the same words already in the scrollback prove nothing.
 */
export const sendMessage = Effect.fn("Session.send")(function* (
  input: string,
  text: string,
  options: { readonly wait?: boolean } = {}
) {
  yield* checkText(text)
  const { id, session } = yield* runningTarget(input)
  const runtime = yield* Runtime
  const wait = options.wait ?? true
  const before = wait ? occurrencesInPane(yield* runtime.capture(session.runtimeHandle, CAPTURE_HISTORY_LINES, session.runtimeServer), text) : 0
  yield* runtime.sendText(session.runtimeHandle, text, session.runtimeServer)
  let delivery: SendResult["delivery"] = "not-checked"
  if (wait) {
    delivery = "unconfirmed"
    for (let attempt = 1; attempt <= CONFIRM_ATTEMPTS && delivery === "unconfirmed"; attempt++) {
      if (attempt > 1) yield* Effect.sleep(CONFIRM_INTERVAL)
      const pane = yield* runtime.capture(session.runtimeHandle, CAPTURE_HISTORY_LINES, session.runtimeServer)
      if (occurrencesInPane(pane, text) > before) delivery = "confirmed"
    }
  }
  yield* recordEvent({
    sessionId: id,
    projectId: session.projectId,
    kind: "message-sent",
    reason: "ao send",
    details: { characters: String(text.length), delivery }
  })
  return { id, delivery } satisfies SendResult
})

/** `ao send --key`: presses one key of the fixed list (Escape, C-c, …) in the agent's pane. */
export const sendKey = Effect.fn("Session.sendKey")(function* (input: string, keyName: string) {
  const key = yield* parseAgentKey(keyName)
  const { id, session } = yield* runningTarget(input)
  yield* Effect.flatMap(Runtime, (runtime) => runtime.sendKey(session.runtimeHandle, key, session.runtimeServer))
  yield* recordEvent({ sessionId: id, projectId: session.projectId, kind: "key-sent", reason: "ao send --key", details: { key } })
  return { id, key } satisfies KeyResult
})
