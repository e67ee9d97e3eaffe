import type { CommandHelp, HelpEntry } from "./help-doc"
import { EXAMPLES } from "./examples"
import { wrapProse, wrapShell } from "./wrap"

/**
 * `ao … --help`: a page per command, laid out here rather than by
 * @effect/cli, whose pages repeat each value's type ("A user-defined piece
 * of text."), list the wizard and name commands without their parents. The
 * words still come from one place: the descriptions given in cli.ts, read
 * back through @effect/cli's public help document (help-doc.ts). Nothing
 * here loads @effect/cli: the launcher lays out pages with it too.
 */

type Commands = ReadonlyArray<CommandHelp>

/** `(-p, --project id)` → `-p, --project <id>`; `--json` stays as it is. */
const optionTerm = (term: string): string => {
  const words = term.replace(/^\((.*)\)$/, "$1").split(" ")
  const flags = words.filter((word) => word.startsWith("-"))
  const value = words.filter((word) => !word.startsWith("-")).join(" ")
  return value === "" ? flags.join(" ") : `${flags.join(" ")} <${value}>`
}

/** `<session> 1+` → `<session>...`; an argument that may be left out is bracketed. */
const argumentTerm = (entry: HelpEntry): string => {
  const term = entry.term.replace(/ \d+\+$/, "...")
  return entry.optional ? `[${term}]` : term
}

const HELP_OPTION: HelpEntry = { term: "-h, --help", description: "Show this help", optional: true }
const GLOBAL_OPTIONS: ReadonlyArray<HelpEntry> = [
  { term: "-h, --help", description: "Show help: `ao --help`, or a command's own, e.g. `ao session ls --help`", optional: true },
  { term: "--version", description: "Print ao's version", optional: true },
  { term: "--completions <shell>", description: "Print a completion script for bash, zsh, fish or sh", optional: true },
  {
    term: "--log-level <level>",
    description: "Also print ao's own log lines from this level up: trace, debug, info, warning, error, fatal (none by default)",
    optional: true
  }
]

const INDENT = "  "
const GAP = "  "
/** A term longer than this puts its description on the next line, so one long option does not squeeze every other. */
const MAX_TERM_COLUMN = 26

/** Term and description side by side, the description wrapped in its own column. */
const definitionList = (rows: ReadonlyArray<readonly [string, string]>, width: number): ReadonlyArray<string> => {
  const column = Math.min(MAX_TERM_COLUMN, Math.max(...rows.map(([term]) => term.length)))
  const descriptionStart = INDENT.length + column + GAP.length
  const descriptionWidth = width - descriptionStart
  return rows.flatMap(([term, description]) => {
    const wrapped = wrapProse(description, descriptionWidth)
    const pad = " ".repeat(descriptionStart)
    const [first = "", ...rest] = wrapped
    const head =
      term.length <= column
        ? [`${INDENT}${term.padEnd(column)}${GAP}${first}`.trimEnd()]
        : [`${INDENT}${term}`, `${pad}${first}`]
    return [...head, ...rest.map((line) => `${pad}${line}`)]
  })
}

const section = (title: string, lines: ReadonlyArray<string>): ReadonlyArray<string> => (lines.length === 0 ? [] : ["", `${title}:`, ...lines])

const examplesOf = (path: ReadonlyArray<string>, width: number): ReadonlyArray<string> =>
  (EXAMPLES[path.join(" ")] ?? []).flatMap((line) => wrapShell(`${INDENT}${line}`, width))

const sentence = (text: string): string => (text === "" || /[.!?]$/.test(text) ? text : `${text}.`)

const commandAt = (commands: Commands, path: ReadonlyArray<string>): CommandHelp => {
  const command = commands.find((candidate) => candidate.path.join(" ") === path.join(" "))
  if (command === undefined) throw new Error(`no command named ${path.join(" ")}`)
  return command
}

const below = (commands: Commands, parent: ReadonlyArray<string>): Commands =>
  commands.filter(({ path }) => path.length > parent.length && parent.every((word, index) => path[index] === word))

/** Commands that do something, by their words below this one: `session ls`, not `session` itself. */
const leavesBelow = (commands: Commands, path: ReadonlyArray<string>): Commands =>
  below(commands, path).filter((candidate) => below(commands, candidate.path).length === 0)

/** `ao session ls [options]`, `ao session kill [options] <session>...`, `ao session <command> [options]`. */
export const usageOf = (commands: Commands, path: ReadonlyArray<string>): string => {
  if (leavesBelow(commands, path).length > 0) return `${path.join(" ")} <command> [options]`
  const doc = commandAt(commands, path)
  return [...path, ...(doc.options.length > 0 ? ["[options]"] : []), ...doc.arguments.map(argumentTerm)].join(" ")
}

/** The help page of the command `path` names (`["ao", "session", "ls"]`), fitted to `width` columns. */
export const helpPage = (
  commands: Commands,
  path: ReadonlyArray<string>,
  version: string,
  width: number
): string => {
  const doc = commandAt(commands, path)
  const children = leavesBelow(commands, path)
  const isGroup = children.length > 0
  const usage = usageOf(commands, path)
  const lines = [
    ...(path.length === 1 ? [`ao ${version}`, ""] : []),
    ...wrapShell(`Usage: ${usage}`, width),
    "",
    ...wrapProse(sentence(doc.description), width),
    ...section(
      "Commands",
      definitionList(
        children.map((child) => [child.path.slice(path.length).join(" "), child.description]),
        width
      )
    ),
    ...section("Arguments", definitionList(doc.arguments.map((entry) => [argumentTerm(entry), entry.description]), width)),
    ...section(
      "Options",
      definitionList(
        [...doc.options, ...(path.length === 1 ? GLOBAL_OPTIONS : [HELP_OPTION])].map((entry) => [
          entry === HELP_OPTION || GLOBAL_OPTIONS.includes(entry) ? entry.term : optionTerm(entry.term),
          entry.description
        ]),
        width
      )
    ),
    ...section("Examples", examplesOf(path, width)),
    ...(isGroup ? ["", ...wrapProse(`Run \`${path.join(" ")} <command> --help\` for a command's options and examples.`, width)] : [])
  ]
  return `${lines.join("\n")}\n`
}
