/**
 * What one hook call says, per agent: all `ao hook` needs of an agent
 * adapter, kept apart from the rest of it (settings, screen patterns,
 * transcripts) because the hook entry runs on every tool call of every agent
 * and loads only this. The adapters use the same functions.
 */
import { absolutePath, type HookReading, oneLine, textField } from "./agent-adapter"

/**
 * A Notification asks for a person (a permission prompt, a question), or says
 * Claude has sat at its prompt for a while (its turn ended long ago). Older
 * versions send no `notification_type`; their message says which.
 */
const readNotification = (payload: unknown): HookReading | undefined => {
  const type = textField(payload, "notification_type")
  const message = oneLine(textField(payload, "message"))
  if (type === "permission_prompt" || type === "elicitation_dialog") return { state: "waiting", detail: message ?? type }
  if (type === "idle_prompt") return { state: "idle" }
  if (type !== undefined || message === undefined) return undefined
  if (/waiting for your input/i.test(message)) return { state: "idle" }
  return /permission|approve|confirm/i.test(message) ? { state: "waiting", detail: message } : undefined
}

const readEvent = (event: string, payload: unknown): HookReading | undefined => {
  switch (event) {
    case "SessionStart":
      return { state: "idle" }
    case "UserPromptSubmit":
      return { state: "working", submitted: true }
    case "PostToolUse":
    case "SubagentStop":
      return { state: "working" }
    case "PreToolUse": {
      const tool = oneLine(textField(payload, "tool_name"))
      return tool === undefined ? { state: "working" } : { state: "working", detail: tool }
    }
    case "Notification":
      return readNotification(payload)
    case "Stop":
      return { state: "idle" }
    case "SessionEnd":
      return { state: "exited" }
    default:
      return undefined
  }
}

/** Every Claude Code hook names the session's transcript: it is kept with the state, for the summary in `status`. */
export const readClaudeHook = (event: string, payload: unknown): HookReading | undefined => {
  const reading = readEvent(event, payload)
  const transcript = absolutePath(payload, "transcript_path")
  return reading === undefined || transcript === undefined ? reading : { ...reading, transcript }
}

/**
 * Codex runs its `notify` program with one JSON argument: a turn completed
 * (`agent-turn-complete`) or an approval is asked for (`approval-requested`).
 */
export const readCodexHook = (event: string, payload: unknown): HookReading | undefined => {
  if (event !== "notify") return undefined
  const type = textField(payload, "type")
  if (type === "agent-turn-complete") return { state: "idle" }
  const detail = oneLine(textField(payload, "message"))
  return type === "approval-requested" ? { state: "waiting", ...(detail === undefined ? {} : { detail }) } : undefined
}

/** The reader of an agent without hooks (aider, a configured command): no call says anything. */
export const readNoHook = (_event: string, _payload: unknown): HookReading | undefined => undefined

/** The hook reader of the agent called `name`; an agent without hooks gets one that reads nothing. */
export const hookReaderFor = (name: string): ((event: string, payload: unknown) => HookReading | undefined) =>
  name === "claude" ? readClaudeHook : name === "codex" ? readCodexHook : readNoHook
