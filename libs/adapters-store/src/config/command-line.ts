import { Either } from "effect"

/**
 * Splits a command line from the config into argv the way a reader expects,
 * with no shell in between: spaces separate arguments, '…' keeps text as is,
 * "…" keeps text with \" and \\ escapes, and \ escapes one character outside
 * quotes. `$`, `~`, globs and `;` are ordinary characters.
 */
export const splitCommandLine = (line: string): Either.Either<ReadonlyArray<string>, string> => {
  const args: Array<string> = []
  let current = ""
  let inArgument = false
  let quote: "'" | '"' | undefined
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!
    if (quote === "'") {
      if (char === "'") quote = undefined
      else current += char
    } else if (quote === '"') {
      if (char === '"') quote = undefined
      else if (char === "\\" && (line[index + 1] === '"' || line[index + 1] === "\\")) current += line[++index]
      else current += char
    } else if (/\s/.test(char)) {
      if (inArgument) args.push(current)
      current = ""
      inArgument = false
    } else {
      inArgument = true
      if (char === "'" || char === '"') quote = char
      else if (char === "\\") {
        if (index + 1 === line.length) return Either.left("it ends with a lone \\")
        current += line[++index]
      } else current += char
    }
  }
  if (quote !== undefined) return Either.left(`it has an unterminated ${quote} quote`)
  if (inArgument) args.push(current)
  if (args.length === 0) return Either.left("it is empty")
  return Either.right(args)
}
