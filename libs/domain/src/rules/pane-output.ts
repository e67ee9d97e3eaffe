/**
 * What `ao logs` shows of a pane. Without `--ansi` it shows text only: an
 * agent's colours and cursor moves are terminal instructions, and passing
 * them through unasked could retitle a window or write the clipboard
 * (`ESC]52;…`) of whoever reads the log. With `--ansi` the capture is shown
 * as the terminal drew it.
 */

// CSI (`ESC[` or 8-bit U+009B): parameters, intermediates, one final byte.
const CSI = String.raw`(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]`
// OSC, DCS, SOS, PM, APC (7- or 8-bit): a string up to BEL or ST (`ESC\` or U+009C); an unterminated one runs to the end.
const STRING_COMMAND = String.raw`(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c|$)`
// Any other escape: ESC, optional intermediates, one final byte.
const OTHER_ESCAPE = String.raw`\u001b[ -/]*[0-~]`
// What remains of control characters once the sequences are gone; line breaks and tabs are text.
const CONTROL = String.raw`[\u0000-\u0008\u000b-\u001f\u007f-\u009f]`

const TERMINAL_CODES = new RegExp(`${CSI}|${STRING_COMMAND}|${OTHER_ESCAPE}|${CONTROL}`, "g")

/** The text a terminal would show, with every escape sequence and control character removed. */
export const stripTerminalCodes = (text: string): string => text.replace(TERMINAL_CODES, "")

/** A pane capture as lines: the last `count` of them (captures carry the visible rows besides the history asked for). */
export const lastLines = (capture: string, count: number): ReadonlyArray<string> => {
  if (count <= 0 || capture.length === 0) return []
  return capture.split("\n").slice(-count)
}

/** What a follower prints after a new capture of the pane. */
export interface OutputChange {
  /** Lines to print, oldest first; empty when nothing changed. */
  readonly lines: ReadonlyArray<string>
  /**
   * The new capture shares nothing with the last one (the agent cleared or
   * redrew its screen), so `lines` is the whole new capture, not a tail.
   */
  readonly redrawn: boolean
}

const sameLines = (previous: ReadonlyArray<string>, from: number, next: ReadonlyArray<string>, count: number): boolean => {
  for (let index = 0; index < count; index++) {
    if (previous[from + index] !== next[index]) return false
  }
  return true
}

/** The longest tail of `previous` (its first `length` lines) that `next` starts with. */
const overlap = (previous: ReadonlyArray<string>, length: number, next: ReadonlyArray<string>): number => {
  for (let size = Math.min(length, next.length); size > 0; size--) {
    if (sameLines(previous, length - size, next, size)) return size
  }
  return 0
}

/**
 * Follow mode's diff of two captures of the same pane. The pane scrolls, so
 * the new capture starts with the last lines of the old one: the lines past
 * that overlap are new. The line the agent was still writing (the last one)
 * may have grown since, so it is printed again in its new form. Anything
 * else is a redraw, and the whole new capture is printed.
 */
export const outputSince = (previous: ReadonlyArray<string>, next: ReadonlyArray<string>): OutputChange => {
  if (previous.length === 0) return { lines: next, redrawn: false }
  const whole = overlap(previous, previous.length, next)
  if (whole > 0) return { lines: next.slice(whole), redrawn: false }
  // Only the last line changed (or the whole capture was that one line, now rewritten).
  const beforeLast = previous.length === 1 ? 0 : overlap(previous, previous.length - 1, next)
  if (beforeLast > 0 || (previous.length === 1 && next.length > 0 && next[0]!.startsWith(previous[0]!))) {
    return { lines: next.slice(beforeLast), redrawn: false }
  }
  return { lines: next, redrawn: next.length > 0 }
}
