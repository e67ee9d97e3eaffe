import { CliConfig, HelpDoc, Usage } from "@effect/cli"
import { stripVTControlCharacters } from "node:util"
import { commandUsages } from "./cli"

/**
 * `Usage: ao session kill [--json] <session>` for the deepest command the
 * arguments name, printed after @effect/cli's own description of the mistake.
 */
export const usageLine = (args: ReadonlyArray<string>): string => {
  const words = ["ao", ...args.filter((arg) => !arg.startsWith("-"))]
  const [path, usageOf] = commandUsages
    .filter(([candidate]) => candidate.every((word, index) => words[index] === word))
    .reduce((deepest, entry) => (entry[0].length > deepest[0].length ? entry : deepest))
  const [usage] = Usage.enumerate(usageOf(), CliConfig.defaultConfig)
  const text = usage === undefined ? "" : stripVTControlCharacters(HelpDoc.toAnsiText(HelpDoc.p(usage))).trim()
  return `Usage: ${[...path.slice(0, -1), text].join(" ")}\nMore: ${path.join(" ")} --help`
}
