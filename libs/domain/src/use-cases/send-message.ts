import { DateTime, Duration, Effect, Schema } from "effect"
import { ActivityLog } from "../ports/activity-log"
import { InvalidInput, RuntimeFailed, SessionNotRunning } from "../errors"
import { Runtime } from "../ports/runtime"
import { SessionStore } from "../ports/session-store"
import { AgentKey, AGENT_KEYS, firstControlCharacter, occurrencesInPane } from "../rules/agent-input"
import { parseSessionName } from "../session-name"
import { recordEvent } from "./record-event"
import type { KeyResult, SendResult } from "./results"
import { runtimeIndexOf, runtimeUnknownText } from "./runtime-index"

/** How long to look for the pasted text before pressing Enter anyway, and for the submission after each Enter. */
const VISIBLE_ATTEMPTS = 10
const CONFIRM_ATTEMPTS = 10
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

/** Polls `check` up to `attempts` times, CONFIRM_INTERVAL apart; true as soon as it holds. */
const holdsWithin = <E, R>(attempts: number, check: Effect.Effect<boolean, E, R>): Effect.Effect<boolean, E, R> =>
  Effect.gen(function* () {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) yield* Effect.sleep(CONFIRM_INTERVAL)
      if (yield* check) return true
    }
    return false
  })

/**
 * `ao send`: checks the message is text and pastes it into the agent's pane
 * without Enter; then (unless told not to wait) waits until the pane shows
 * it anew (the same words already in the scrollback prove nothing), presses
 * Enter, and confirms the submission: by the agent's own report that it took
 * a prompt (a hook, for agents that have reported through hooks; for one
 * waiting on a question, its next report that is not a question), else by
 * the pane changing after Enter. When neither comes, Enter is pressed once
 * more; the result says honestly whether the message was confirmed, and how.
 */
export const sendMessage = Effect.fn("Session.send")(function* (
  input: string,
  text: string,
  options: { readonly wait?: boolean } = {}
) {
  yield* checkText(text)
  const { id, session } = yield* runningTarget(input)
  const runtime = yield* Runtime
  const handle = session.runtimeHandle
  const server = session.runtimeServer
  const wait = options.wait ?? true
  let delivery: SendResult["delivery"] = "not-checked"
  let confirmedBy: SendResult["confirmedBy"] = null
  let enterPresses = 1
  if (!wait) {
    yield* runtime.sendText(handle, text, server)
  } else {
    const activity = yield* ActivityLog
    // An agent that has reported through hooks will report taking the prompt too.
    const reported = yield* activity.recent(id)
    const hooked = reported.length > 0
    // An agent waiting on a question (a permission prompt) takes the answer without a prompt report:
    // its next report that is not a question (the tool ran, the turn ended) confirms it.
    const answering = reported.at(-1)?.state === "waiting"
    const startedAt = yield* DateTime.now
    const capture = runtime.capture(handle, CAPTURE_HISTORY_LINES, server)
    const before = occurrencesInPane(yield* capture, text)
    yield* runtime.sendText(handle, text, server, { submit: false })
    const visible = yield* holdsWithin(
      VISIBLE_ATTEMPTS,
      Effect.map(capture, (pane) => occurrencesInPane(pane, text) > before)
    )
    const submittedSince = Effect.map(activity.recent(id), (reports) =>
      reports.some(
        (report) =>
          DateTime.greaterThanOrEqualTo(report.at, startedAt) &&
          (report.submitted === true || (answering && report.state !== "waiting"))
      )
    )
    const pressEnter = Effect.gen(function* () {
      const atEnter = yield* capture
      yield* runtime.sendKey(handle, "Enter", server)
      return yield* holdsWithin(
        CONFIRM_ATTEMPTS,
        hooked
          ? submittedSince
          : // Seen anew before Enter, or only after it: an agent that answers each line as it comes can
            // print its answer right after the paste's first line, and next to the echo of the last.
            Effect.map(capture, (pane) => pane !== atEnter && (visible || occurrencesInPane(pane, text) > before))
      )
    })
    let confirmed = yield* pressEnter
    if (!confirmed) {
      enterPresses = 2
      confirmed = yield* pressEnter
    }
    delivery = confirmed ? "confirmed" : "unconfirmed"
    confirmedBy = confirmed ? (hooked ? "hook" : "screen") : null
  }
  yield* recordEvent({
    sessionId: id,
    projectId: session.projectId,
    kind: "message-sent",
    reason: "ao send",
    details: {
      characters: String(text.length),
      delivery,
      ...(confirmedBy === null ? {} : { confirmedBy }),
      ...(wait ? { enterPresses: String(enterPresses) } : {})
    }
  })
  return { id, delivery, confirmedBy, enterPresses } satisfies SendResult
})

/** `ao send --key`: presses one key of the fixed list (Escape, C-c, …) in the agent's pane. */
export const sendKey = Effect.fn("Session.sendKey")(function* (input: string, keyName: string) {
  const key = yield* parseAgentKey(keyName)
  const { id, session } = yield* runningTarget(input)
  yield* Effect.flatMap(Runtime, (runtime) => runtime.sendKey(session.runtimeHandle, key, session.runtimeServer))
  yield* recordEvent({ sessionId: id, projectId: session.projectId, kind: "key-sent", reason: "ao send --key", details: { key } })
  return { id, key } satisfies KeyResult
})
