/** A word longer than a line (a long path) is cut into pieces that fit, after a `/` where it has one. */
const pieces = (word: string, width: number): ReadonlyArray<string> => {
  if (word.length <= width) return [word]
  const slash = word.lastIndexOf("/", width - 1)
  const cut = slash > 0 ? slash + 1 : width
  return [word.slice(0, cut), ...pieces(word.slice(cut), width)]
}

/** Prose wrapped at spaces to `width` columns. */
export const wrapProse = (text: string, width: number): ReadonlyArray<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/).flatMap((each) => (each === "" ? [] : pieces(each, width)))) {
    if (line === "") line = word
    else if (line.length + 1 + word.length <= width) line = `${line} ${word}`
    else {
      lines.push(line)
      line = word
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line)
  return lines
}

/** Where a shell line may be broken: at spaces outside quotes. */
const shellWords = (line: string): ReadonlyArray<string> => {
  const words: Array<string> = []
  let word = ""
  let quote: string | undefined
  for (const char of line) {
    if (quote !== undefined) {
      word += char
      if (char === quote) quote = undefined
    } else if (char === " ") {
      words.push(word)
      word = ""
    } else {
      if (char === "'" || char === '"') quote = char
      word += char
    }
  }
  words.push(word)
  return words
}

const CONTINUATION_INDENT = "    "

/**
 * A shell line of an example fitted to `width`: broken at spaces outside
 * quotes, each broken line ending in ` \` so it can still be pasted into a
 * shell. The line keeps its own indentation; continuations are indented more.
 */
export const wrapShell = (line: string, width: number): ReadonlyArray<string> => {
  if (line.length <= width) return [line]
  const indent = /^ */.exec(line)?.[0] ?? ""
  // A comment line is prose: it goes on as another comment.
  if (line.startsWith("#", indent.length))
    return wrapProse(line.slice(indent.length + 1), width - indent.length - 2).map((text) => `${indent}# ${text}`)
  const words = shellWords(line.slice(indent.length))
  const lines: Array<string> = []
  let current = indent
  let start = indent
  for (const word of words) {
    const candidate = current === start ? `${current}${word}` : `${current} ${word}`
    // Room is kept for the " \" that ends a broken line.
    if (current !== start && candidate.length + 2 > width) {
      lines.push(`${current} \\`)
      start = `${indent}${CONTINUATION_INDENT}`
      current = `${start}${word}`
    } else current = candidate
  }
  lines.push(current)
  return lines
}
