import type { Console } from "effect"
import { stripVTControlCharacters } from "node:util"

const strip = (args: ReadonlyArray<unknown>) =>
  args.map((arg) => (typeof arg === "string" ? stripVTControlCharacters(arg) : arg))

/**
 * @effect/cli colours its help and error text unconditionally; this Console
 * removes the escape codes from a stream that must stay plain (NO_COLOR, a
 * pipe, a file). Our own renderers already decide per stream.
 */
export const colourlessConsole = (
  base: Console.Console,
  colour: { readonly stdout: boolean; readonly stderr: boolean }
): Console.Console => ({
  ...base,
  log: (...args) => (colour.stdout ? base.log(...args) : base.log(...strip(args))),
  error: (...args) => (colour.stderr ? base.error(...args) : base.error(...strip(args)))
})
