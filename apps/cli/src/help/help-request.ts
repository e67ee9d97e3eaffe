import { commandsByPath } from "../cli"
import { commandPathOf } from "../usage-line"

const isGroup = (path: ReadonlyArray<string>): boolean =>
  commandsByPath.some(([candidate]) => candidate.length > path.length && path.every((word, index) => candidate[index] === word))

/**
 * The command whose help the arguments ask for, if they do: `-h` or
 * `--help` anywhere before `--`, a bare `ao`, or a group named alone
 * (`ao session`, `ao project`).
 */
export const helpRequest = (args: ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
  const end = args.indexOf("--")
  const before = end === -1 ? args : args.slice(0, end)
  const path = commandPathOf(before)
  if (before.includes("-h") || before.includes("--help")) return path
  const words = before.filter((arg) => !arg.startsWith("-"))
  return words.length === path.length - 1 && isGroup(path) && before.length === words.length ? path : undefined
}

/** `--wizard` is @effect/cli's interactive mode; ao takes everything on the command line, so it is refused. */
export const WIZARD_REFUSED =
  "ao has no wizard mode (--wizard): every command takes its options on the command line. See `ao --help`, or `ao <command> --help`."
