/** Commands by the words that name them (`["ao", "session", "ls"]`): cli.ts's, or the launcher's recorded copy. */
type Paths = ReadonlyArray<ReadonlyArray<string>>

/** The words of the deepest command the arguments name: `["ao", "session", "kill"]` for `session kill x --json`. */
export const commandPathOf = (args: ReadonlyArray<string>, paths: Paths): ReadonlyArray<string> => {
  const words = ["ao", ...args.filter((arg) => !arg.startsWith("-"))]
  return paths
    .filter((candidate) => candidate.every((word, index) => words[index] === word))
    .reduce((deepest, path) => (path.length > deepest.length ? path : deepest), ["ao"])
}

const isGroup = (path: ReadonlyArray<string>, paths: Paths): boolean =>
  paths.some((candidate) => candidate.length > path.length && path.every((word, index) => candidate[index] === word))

/**
 * The command whose help the arguments ask for, if they do: `-h` or
 * `--help` anywhere before `--`, a bare `ao`, or a group named alone
 * (`ao session`, `ao project`). Pure, so the launcher answers help exactly
 * as the CLI does without loading it.
 */
export const helpRequest = (args: ReadonlyArray<string>, paths: Paths): ReadonlyArray<string> | undefined => {
  const end = args.indexOf("--")
  const before = end === -1 ? args : args.slice(0, end)
  const path = commandPathOf(before, paths)
  if (before.includes("-h") || before.includes("--help")) return path
  const words = before.filter((arg) => !arg.startsWith("-"))
  return words.length === path.length - 1 && isGroup(path, paths) && before.length === words.length ? path : undefined
}

/** `--wizard` is @effect/cli's interactive mode; ao takes everything on the command line, so it is refused. */
export const WIZARD_REFUSED =
  "ao has no wizard mode (--wizard): every command takes its options on the command line. See `ao --help`, or `ao <command> --help`."
