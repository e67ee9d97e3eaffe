import { commandsByPath } from "./cli"
import { helpDocsOf } from "./help/help-doc"
import { usageOf } from "./help/help-page"
import { commandPathOf } from "./help/help-request"

/**
 * `Usage: ao session kill [options] <session>...` for the deepest command the
 * arguments name, printed after the description of a usage mistake.
 */
export const usageLine = (args: ReadonlyArray<string>): string => {
  const path = commandPathOf(
    args,
    commandsByPath.map(([candidate]) => candidate)
  )
  return `Usage: ${usageOf(helpDocsOf(commandsByPath), path)}\nMore: ${path.join(" ")} --help`
}
