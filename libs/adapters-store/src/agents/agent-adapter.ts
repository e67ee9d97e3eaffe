/**
 * What ao knows about one agent program (claude, codex, aider, …). Plain
 * functions without Effect: the `ao hook` entry uses them on every tool call
 * of every agent and must stay tiny.
 */
import type { ScreenPatterns } from "./screen"

export type ReportedState = "working" | "waiting" | "idle" | "exited"

/** What one hook call says about the agent. */
export interface HookReading {
  readonly state: ReportedState
  readonly detail?: string
  /** The agent took a prompt: confirms that `ao send` text was submitted. */
  readonly submitted?: true
  /** Where the agent keeps its transcript, as its hook named it (an absolute path). */
  readonly transcript?: string
}

/** The agent's settings file in its worktree and how ao's hooks go into it. */
export interface HookSettings {
  /** Relative to the worktree, `/`-separated. */
  readonly file: string
  /** The settings with ao's hooks merged in; the user's own settings and hooks are kept. */
  readonly merge: (existing: unknown, hookCommand: (event: string) => string) => unknown
}

export interface AgentAdapter {
  readonly name: string
  /** The events `ao hook <agent> <event>` understands. */
  readonly hookEvents: ReadonlyArray<string>
  /**
   * The state one hook call reports; undefined when the event says nothing
   * about the agent's state. Never throws, whatever the payload holds.
   */
  readonly readHook: (event: string, payload: unknown) => HookReading | undefined
  /** How ao's hooks are installed; undefined for agents without hooks (the screen decides their state). */
  readonly hookSettings?: HookSettings
  /**
   * The agent's last message, as one line, from the last lines of its
   * transcript (oldest first; the first may be cut); undefined when they hold
   * none. Absent for agents whose transcript ao cannot read.
   */
  readonly lastMessage?: (lines: ReadonlyArray<string>) => string | undefined
  /** What the agent's screen shows in each state (see readScreen); absent for an agent ao knows nothing of. */
  readonly screen?: ScreenPatterns
}

/** `payload[key]` when the payload is an object and the value a non-empty string. */
export const textField = (payload: unknown, key: string): string | undefined => {
  if (typeof payload !== "object" || payload === null) return undefined
  const value = (payload as Record<string, unknown>)[key]
  return typeof value === "string" && value.length > 0 ? value : undefined
}

/** Terminal escape sequences and control characters: text from an agent never drives the terminal it is shown on. */
const CONTROL = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/** Details stay one short line in the activity log and in `ls`. */
export const oneLine = (text: string | undefined, limit = 200): string | undefined => {
  if (text === undefined) return undefined
  const line = text.replace(CONTROL, " ").replace(/\s+/g, " ").trim()
  return line.length === 0 ? undefined : line.length > limit ? `${line.slice(0, limit - 1)}…` : line
}

/** An absolute path an agent named in a hook; anything else (relative, empty, with a NUL) is ignored. */
export const absolutePath = (payload: unknown, key: string): string | undefined => {
  const path = textField(payload, key)
  return path !== undefined && path.startsWith("/") && !path.includes("\u0000") && path.length <= 4096 ? path : undefined
}
