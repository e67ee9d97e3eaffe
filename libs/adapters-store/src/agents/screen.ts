import { oneLine } from "./agent-adapter"

/** What an agent's screen shows: a question for a person, work in progress, or its prompt waiting for the next instruction. */
export type ScreenState = "waiting" | "working" | "idle"

/**
 * The texts an agent's own screen shows in each state, matched line by line
 * against the bottom of the pane. Checked in this order: a question for a
 * person outranks a spinner still on screen, and a spinner outranks the
 * input prompt that some agents keep drawn while they work.
 */
export interface ScreenPatterns {
  readonly waiting: ReadonlyArray<RegExp>
  readonly working: ReadonlyArray<RegExp>
  readonly idle: ReadonlyArray<RegExp>
}

export interface ScreenReading {
  readonly state: ScreenState
  /** For `waiting`: the line that asks. */
  readonly detail?: string
}

/** How many non-blank lines from the bottom count: older output scrolled above is history, not state. */
export const SCREEN_BOTTOM_LINES = 15

/**
 * The state a pane's text shows, by the agent's patterns; undefined when no
 * pattern matches (then the pane's activity decides, as for any agent).
 */
export const readScreen = (screen: string, patterns: ScreenPatterns, bottom = SCREEN_BOTTOM_LINES): ScreenReading | undefined => {
  const lines = screen
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim().length > 0)
    .slice(-bottom)
  const matching = (list: ReadonlyArray<RegExp>) => lines.find((line) => list.some((pattern) => pattern.test(line)))
  const asked = matching(patterns.waiting)
  if (asked !== undefined) {
    const detail = oneLine(asked.replace(/^[\s│|>❯›]+|[\s│|]+$/g, ""))
    return detail === undefined ? { state: "waiting" } : { state: "waiting", detail }
  }
  if (matching(patterns.working) !== undefined) return { state: "working" }
  return matching(patterns.idle) !== undefined ? { state: "idle" } : undefined
}
