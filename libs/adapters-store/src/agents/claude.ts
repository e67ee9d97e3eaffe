import { type AgentAdapter, oneLine } from "./agent-adapter"
import { readClaudeHook } from "./hook-readers"

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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

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
  readHook: readClaudeHook,
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
