import { commandsByPath } from "./cli"
import { usageOf } from "./help/help-page"

/** The words of the deepest command the arguments name: `["ao", "session", "kill"]` for `session kill x --json`. */
export const commandPathOf = (args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const words = ["ao", ...args.filter((arg) => !arg.startsWith("-"))]
  return commandsByPath
    .map(([path]) => path)
    .filter((candidate) => candidate.every((word, index) => words[index] === word))
    .reduce((deepest, path) => (path.length > deepest.length ? path : deepest))
}

/**
 * `Usage: ao session kill [options] <session>...` for the deepest command the
 * arguments name, printed after the description of a usage mistake.
 */
export const usageLine = (args: ReadonlyArray<string>): string => {
  const path = commandPathOf(args)
  return `Usage: ${usageOf(commandsByPath, path)}\nMore: ${path.join(" ")} --help`
}
