import { absolutePath, type AgentAdapter, type HookReading, oneLine, textField } from "./agent-adapter"

/** The Claude Code hook events ao listens to. */
const EVENTS = [
  "SessionStart",
  "UserPromptSubmit",
  "PreToolUse",
  "PostToolUse",
  "Notification",
  "Stop",
  "SubagentStop",
  "SessionEnd"
] as const

/** Events whose settings entries take a tool matcher. */
const TOOL_EVENTS: ReadonlySet<string> = new Set(["PreToolUse", "PostToolUse"])

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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Every Claude Code hook names the session's transcript: it is kept with the state, for the summary in `status`. */
const readHook = (event: string, payload: unknown): HookReading | undefined => {
  const reading = readEvent(event, payload)
  const transcript = absolutePath(payload, "transcript_path")
  return reading === undefined || transcript === undefined ? reading : { ...reading, transcript }
}

/** How long the one-line summary of the agent's last message may be. */
export const SUMMARY_LIMIT = 160

/** The text blocks of one transcript entry's message, when it is Claude's own (not a subagent's). */
const assistantText = (line: string): string | undefined => {
  let entry: unknown
  try {
    entry = JSON.parse(line)
  } catch {
    return undefined
  }
  if (!isRecord(entry) || entry["type"] !== "assistant" || entry["isSidechain"] === true) return undefined
  const message = entry["message"]
  if (!isRecord(message)) return undefined
  const content = message["content"]
  if (typeof content === "string") return content
  if (!Array.isArray(content)) return undefined
  const texts = content.flatMap((block: unknown) =>
    isRecord(block) && block["type"] === "text" && typeof block["text"] === "string" ? [block["text"]] : []
  )
  return texts.length === 0 ? undefined : texts.join("\n")
}

/**
 * Claude Code's transcript is JSON lines: user prompts and tool results
 * (`type: "user"`), Claude's replies and tool calls (`type: "assistant"`,
 * one line per content block in recent versions), summaries and snapshots.
 * The summary is the text of the latest assistant entry that has text.
 */
const lastMessage = (lines: ReadonlyArray<string>): string | undefined => {
  for (let index = lines.length - 1; index >= 0; index--) {
    const text = oneLine(assistantText(lines[index] ?? ""), SUMMARY_LIMIT)
    if (text !== undefined) return text
  }
  return undefined
}

interface HookGroup {
  readonly matcher?: string
  readonly hooks: ReadonlyArray<{ readonly type: string; readonly command: string }>
}

/** ao's own entry for `event`, from an earlier install (the command may name an older ao). */
const isAoGroup = (group: unknown, event: string): boolean =>
  isRecord(group) &&
  Array.isArray(group["hooks"]) &&
  group["hooks"].length > 0 &&
  group["hooks"].every(
    (hook: unknown) => isRecord(hook) && typeof hook["command"] === "string" && hook["command"].endsWith(` hook claude ${event}`)
  )

/**
 * `.claude/settings.local.json` with one ao entry per event: the user's other
 * settings and hooks are kept, an earlier ao entry is replaced, not doubled.
 */
const merge = (existing: unknown, hookCommand: (event: string) => string): unknown => {
  const settings = isRecord(existing) ? existing : {}
  const hooks = isRecord(settings["hooks"]) ? settings["hooks"] : {}
  const merged: Record<string, unknown> = { ...hooks }
  for (const event of EVENTS) {
    const current = hooks[event]
    const kept = Array.isArray(current) ? current.filter((group) => !isAoGroup(group, event)) : []
    const ours: HookGroup = {
      ...(TOOL_EVENTS.has(event) ? { matcher: "*" } : {}),
      hooks: [{ type: "command", command: hookCommand(event) }]
    }
    merged[event] = [...kept, ours]
  }
  return { ...settings, hooks: merged }
}

/** Claude Code: every state from its hooks, installed in the worktree's `.claude/settings.local.json`. */
export const claudeAdapter: AgentAdapter = {
  name: "claude",
  hookEvents: EVENTS,
  readHook,
  hookSettings: { file: ".claude/settings.local.json", merge },
  lastMessage,
  screen: {
    // The permission dialog: "Do you want to proceed?" over "❯ 1. Yes … 3. No, and tell Claude what to do differently (esc)".
    waiting: [/\bDo you want to (?:proceed|make this edit|create|allow|run)\b.*\?/, /No, and tell Claude what to do differently/],
    // The spinner line: "✻ Thinking… (12s · ↑ 1.2k tokens · esc to interrupt)".
    working: [/\besc to interrupt\b/],
    // The input box and its footer: "│ > " and "? for shortcuts".
    idle: [/\? for shortcuts/, /^\s*│\s*[>❯]\s/]
  }
}
