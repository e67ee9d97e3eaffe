import { Schema } from "effect"

/**
 * What may reach an agent's pane. A message is text: printable characters,
 * line breaks and tabs. Every other control byte is an instruction to the
 * terminal or the agent, not text — Ctrl-C (U+0003) interrupts the agent,
 * ESC starts escape sequences (`ESC[201~` would end a bracketed paste early,
 * `ESC]52;…` writes the clipboard), C1 controls are their 8-bit forms — so
 * they are refused, never filtered silently. Deliberate keys are a separate,
 * explicit request from a fixed list.
 */

/** The keys `ao send --key` and the API may press, named as tmux names them. */
export const AgentKey = Schema.Literal("Escape", "C-c", "Enter", "Up", "Down", "Tab").annotations({
  identifier: "AgentKey",
  description: "A key pressed in the agent's pane: Escape, C-c (interrupt), Enter, Up, Down or Tab"
})
export type AgentKey = typeof AgentKey.Type

export const AGENT_KEYS: ReadonlyArray<AgentKey> = AgentKey.literals

export interface ControlCharacter {
  /** Index of the character in the message (UTF-16 units, as JavaScript counts). */
  readonly offset: number
  /** `U+0003`, … */
  readonly codePoint: string
  readonly name: string
}

const NAMES: Readonly<Record<number, string>> = {
  0x00: "NUL",
  0x03: "Ctrl-C",
  0x04: "Ctrl-D",
  0x07: "BEL",
  0x08: "backspace",
  0x0d: "carriage return",
  0x1a: "Ctrl-Z",
  0x1b: "ESC (starts an escape sequence)",
  0x7f: "DEL",
  0x9b: "CSI (starts an escape sequence)",
  0x9d: "OSC (starts an operating-system command)"
}

const isRefused = (code: number): boolean =>
  (code < 0x20 && code !== 0x0a && code !== 0x09) || code === 0x7f || (code >= 0x80 && code <= 0x9f)

/** The first character a message may not carry, if any. */
export const firstControlCharacter = (text: string): ControlCharacter | undefined => {
  for (let offset = 0; offset < text.length; offset++) {
    const code = text.charCodeAt(offset)
    if (isRefused(code)) {
      const codePoint = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`
      return { offset, codePoint, name: NAMES[code] ?? (code < 0x80 ? "a C0 control character" : "a C1 control character") }
    }
  }
  return undefined
}

/** Without white space: the pane wraps long lines and pads them. */
const compact = (text: string): string => text.replace(/\s+/g, "")

const isWordCharacter = (character: string | undefined): boolean => character !== undefined && /[\p{L}\p{N}]/u.test(character)

/**
 * How many times the pane shows the message's last non-empty line (an input
 * box may show only the end of a long message). White space is ignored, as
 * the pane wraps and pads; an occurrence must stand on its own — not inside
 * a longer word — so "y" is not found in "Ready". A line break counts as a
 * boundary. Delivery is confirmed by this count growing after the paste:
 * the same text already in the scrollback ("yes", "continue") is not proof.
 */
export const occurrencesInPane = (pane: string, message: string): number => {
  const lines = message.split("\n").filter((line) => line.trim().length > 0)
  const needle = compact(lines[lines.length - 1] ?? "")
  if (needle.length === 0) return 0
  const boundaries = new Set<number>()
  let joined = ""
  for (const line of pane.split("\n")) {
    boundaries.add(joined.length)
    joined += compact(line)
  }
  boundaries.add(joined.length)
  const standsAlone = (start: number, end: number) =>
    (boundaries.has(start) || !isWordCharacter(joined[start - 1]) || !isWordCharacter(needle[0])) &&
    (boundaries.has(end) || !isWordCharacter(joined[end]) || !isWordCharacter(needle[needle.length - 1]))
  let count = 0
  for (let at = joined.indexOf(needle); at !== -1; at = joined.indexOf(needle, at + 1)) {
    if (standsAlone(at, at + needle.length)) count++
  }
  return count
}
