import type { HelpDoc, Span } from "@effect/cli"
import type { CommandInfo } from "../cli"

/**
 * The words of ao's help pages, read back through @effect/cli's public help
 * document from the descriptions given in cli.ts: plain data, so that the
 * pages can be laid out (help-page.ts) by the launcher too, which records
 * this data at build time and never loads @effect/cli (see build.mjs).
 */

export interface HelpEntry {
  readonly term: string
  readonly description: string
  readonly optional: boolean
}

/** What a help page shows of one command, named by its words (`["ao", "session", "ls"]`). */
export interface CommandHelp {
  readonly path: ReadonlyArray<string>
  readonly description: string
  readonly arguments: ReadonlyArray<HelpEntry>
  readonly options: ReadonlyArray<HelpEntry>
}

const spanText = (span: Span.Span): string => {
  switch (span._tag) {
    case "Sequence":
      return spanText(span.left) + spanText(span.right)
    case "Text":
    case "URI":
      return span.value
    case "Highlight":
    case "Strong":
    case "Weak":
      return spanText(span.value)
  }
}

const paragraphs = (doc: HelpDoc.HelpDoc): ReadonlyArray<string> => {
  switch (doc._tag) {
    case "Sequence":
      return [...paragraphs(doc.left), ...paragraphs(doc.right)]
    case "Paragraph":
      return [spanText(doc.value)]
    case "Header":
      return [spanText(doc.value)]
    case "Enumeration":
      return doc.elements.flatMap(paragraphs)
    case "DescriptionList":
      return doc.definitions.flatMap(([term, description]) => [spanText(term), ...paragraphs(description)])
    case "Empty":
      return []
  }
}

/** @effect/cli's own notes around a description: the value's type first, then whether it may be left out or repeated. */
const isNote = (text: string): boolean => /^This (setting|argument) /.test(text)
const isOptionalNote = (text: string): boolean => /^This setting is optional|zero or more times/.test(text)

/** The built-in options @effect/cli adds to every command; the page describes the ones ao keeps itself. */
const BUILT_IN = /^\(?(-h, --help|--completions|--log-level|--wizard|--version)\b/

const entryOf = ([term, description]: readonly [Span.Span, HelpDoc.HelpDoc]): HelpEntry => {
  // The first paragraph names the value's type ("A user-defined piece of text."): the term already shows it.
  const [, ...rest] = paragraphs(description)
  return {
    term: spanText(term),
    description: rest.filter((text) => !isNote(text)).join(" "),
    optional: rest.some(isOptionalNote)
  }
}

const commandHelp = (path: ReadonlyArray<string>, command: CommandInfo): CommandHelp => {
  const doc: { path: ReadonlyArray<string>; description: string; arguments: Array<HelpEntry>; options: Array<HelpEntry> } = {
    path,
    description: "",
    arguments: [],
    options: []
  }
  let section = ""
  const walk = (node: HelpDoc.HelpDoc): void => {
    if (node._tag === "Sequence") {
      walk(node.left)
      walk(node.right)
    } else if (node._tag === "Header") section = spanText(node.value)
    else if (node._tag === "Paragraph" && section === "DESCRIPTION") doc.description = spanText(node.value)
    else if (node._tag === "DescriptionList") {
      const entries = node.definitions.map(entryOf)
      if (section === "ARGUMENTS") doc.arguments.push(...entries)
      if (section === "OPTIONS") doc.options.push(...entries.filter((entry) => !BUILT_IN.test(entry.term)))
    }
  }
  walk(command.help())
  return doc
}

/** What the help pages show of each command of `commands` (cli.ts's commandsByPath). */
export const helpDocsOf = (
  commands: ReadonlyArray<readonly [ReadonlyArray<string>, CommandInfo]>
): ReadonlyArray<CommandHelp> => commands.map(([path, command]) => commandHelp(path, command))
