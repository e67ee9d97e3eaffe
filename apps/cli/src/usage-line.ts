import { CliConfig, HelpDoc, Usage } from "@effect/cli"
import { stripVTControlCharacters } from "node:util"
import { commandsByPath } from "./cli"

/** The words of the deepest command the arguments name: `["ao", "session", "kill"]` for `session kill x --json`. */
export const commandPathOf = (args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const words = ["ao", ...args.filter((arg) => !arg.startsWith("-"))]
  return commandsByPath
    .map(([path]) => path)
    .filter((candidate) => candidate.every((word, index) => words[index] === word))
    .reduce((deepest, path) => (path.length > deepest.length ? path : deepest))
}

/**
 * `Usage: ao session kill [--json] <session>` for the deepest command the
 * arguments name, printed after @effect/cli's own description of the mistake.
 */
export const usageLine = (args: ReadonlyArray<string>): string => {
  const path = commandPathOf(args)
  const command = commandsByPath.find(([candidate]) => candidate === path)?.[1]
  const [usage] = command === undefined ? [] : Usage.enumerate(command.usage(), CliConfig.defaultConfig)
  const text = usage === undefined ? "" : stripVTControlCharacters(HelpDoc.toAnsiText(HelpDoc.p(usage))).trim()
  return `Usage: ${[...path.slice(0, -1), text].join(" ")}\nMore: ${path.join(" ")} --help`
}
