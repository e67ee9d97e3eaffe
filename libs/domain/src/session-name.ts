import { Effect, ParseResult, Schema } from "effect"
import { InvalidInput, InvalidSessionName } from "./errors"

/**
 * Session names double as tmux session names, file names and path segments,
 * so they are validated before they reach a shell, a tmux target or the disk.
 */
export const SESSION_NAME_MAX_LENGTH = 64

const SESSION_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/

/** Why `input` is not a session name, or undefined when it is one. */
export const sessionNameProblem = (input: string): string | undefined => {
  if (input.length === 0) return "it is empty"
  if (input.length > SESSION_NAME_MAX_LENGTH) {
    return `it is ${input.length} characters long; the limit is ${SESSION_NAME_MAX_LENGTH}`
  }
  if (input.startsWith("-")) return "it starts with '-'"
  if (input.includes("/")) return "it contains '/'"
  if (input.includes("..")) return "it contains '..'"
  if (/\s/.test(input)) return "it contains white space"
  if (!SESSION_NAME_PATTERN.test(input)) {
    return "only lower-case letters, digits, '.', '_' and '-' are allowed, starting with a letter or digit"
  }
  return undefined
}

export const SessionName = Schema.String.pipe(
  Schema.filter((input) => sessionNameProblem(input) === undefined ? true : `invalid session name: ${sessionNameProblem(input)}`),
  Schema.brand("SessionName")
)
export type SessionName = typeof SessionName.Type

/** Validates user input (a CLI argument, a URL segment) as a session name. */
export const parseSessionName = (input: string): Effect.Effect<SessionName, InvalidSessionName> => {
  const problem = sessionNameProblem(input)
  return problem === undefined
    ? Effect.succeed(SessionName.make(input))
    : Effect.fail(new InvalidSessionName({ input, reason: problem }))
}

/** A session-name prefix from config: what names are built from, so stricter (no '.'). */
const PREFIX_PATTERN = /^[a-z0-9][a-z0-9-]*$/
export const SessionPrefix = Schema.String.pipe(
  Schema.pattern(PREFIX_PATTERN, {
    message: () => "a session prefix is lower-case letters, digits and '-', starting with a letter or digit"
  }),
  Schema.maxLength(24),
  Schema.brand("SessionPrefix")
)
export type SessionPrefix = typeof SessionPrefix.Type

/**
 * An issue id as the tracker spells it (`INT-1234`, `42`, `#42`). Its lower-cased
 * form goes into a session name, so only letters, digits, '-' and '_' are allowed.
 */
export const IssueId = Schema.String.pipe(
  Schema.transformOrFail(Schema.String, {
    strict: true,
    decode: (input, _, ast) => {
      const trimmed = input.trim().replace(/^#/, "")
      return /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(trimmed)
        ? ParseResult.succeed(trimmed)
        : ParseResult.fail(
            new ParseResult.Type(ast, input, "an issue id is letters, digits, '-' and '_' (like INT-1234 or 42)")
          )
    },
    encode: ParseResult.succeed
  }),
  Schema.brand("IssueId")
)
export type IssueId = typeof IssueId.Type

/**
 * `s` and a number (`s7`) is how sessions without an issue are numbered
 * (`ao-s7`): an issue id of that form would take their names, so none is one.
 */
const NUMBERED_SUFFIX = /^s\d+$/i

export const parseIssueId = (input: string): Effect.Effect<IssueId, InvalidInput> =>
  NUMBERED_SUFFIX.test(input.trim().replace(/^#/, ""))
    ? Effect.fail(
        new InvalidInput({
          field: "issue id",
          input,
          reason: "s followed by a number names sessions without an issue (like ao-s7); issue ids look like INT-1234 or 42"
        })
      )
    : Schema.decode(IssueId)(input).pipe(
    Effect.mapError(
      () =>
        new InvalidInput({
          field: "issue id",
          input,
          reason: "an issue id is letters, digits, '-' and '_' (like INT-1234 or 42)"
        })
    )
  )

/** `{sessionPrefix}-{issue id, lower case}`: prefix `ao` + issue `INT-1234` is `ao-int-1234`. */
export const sessionNameForIssue = (prefix: SessionPrefix, issueId: IssueId): SessionName =>
  SessionName.make(`${prefix}-${issueId.toLowerCase()}`)

/**
 * `{sessionPrefix}-s{n}` for a session without an issue: the `s` keeps
 * numbered sessions apart from those of numbered issues (`ao spawn app 43`
 * is `app-43`), so a session without an issue never takes an issue's name.
 */
export const numberedSessionName = (prefix: SessionPrefix, n: number): SessionName =>
  SessionName.make(`${prefix}-s${n}`)

/** The next free `{prefix}-s{n}` given the names already taken (numbers are never reused). */
export const nextNumberedSessionName = (prefix: SessionPrefix, taken: Iterable<string>): SessionName => {
  const numbered = new RegExp(`^${prefix}-s(\\d+)$`)
  let highest = 0
  for (const name of taken) {
    const match = numbered.exec(name)
    if (match?.[1] !== undefined) highest = Math.max(highest, Number(match[1]))
  }
  return numberedSessionName(prefix, highest + 1)
}

const MAX_SLUG_WORDS = 6
const MAX_BRANCH_LENGTH = 60

/** Lower-case words of the title joined by '-', ASCII only: safe in a branch name. */
export const slugify = (title: string): string =>
  title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .slice(0, MAX_SLUG_WORDS)
    .join("-")

/** `{issue}-{slug of the title}`: `INT-1234` + "Fix errors" is `int-1234-fix-errors`. */
export const branchNameForIssue = (issueId: IssueId, title: string | undefined): string => {
  const base = issueId.toLowerCase()
  const slug = title === undefined ? "" : slugify(title)
  const branch = slug.length === 0 ? base : `${base}-${slug}`
  return branch.length <= MAX_BRANCH_LENGTH ? branch : branch.slice(0, MAX_BRANCH_LENGTH).replace(/-+$/, "")
}

/** The branch of a session without an issue: `ao/{session name}`. */
export const branchNameForSession = (name: SessionName): string => `ao/${name}`
