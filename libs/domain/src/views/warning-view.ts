import { Schema } from "effect"
import type { LookupSubject, LookupWarning, UncheckedLookup } from "../use-cases/results"

const LookupSubjectView = Schema.Literal("pr", "issue")

/** On a session row: a lookup that could not answer, so its `pr` or `issue` may be out of date. */
export const UncheckedLookupView = Schema.Struct({ about: LookupSubjectView, reason: Schema.String }).annotations({
  identifier: "UncheckedLookup"
})
export type UncheckedLookupView = typeof UncheckedLookupView.Type

export const uncheckedLookupView = (unchecked: UncheckedLookup): UncheckedLookupView => ({
  about: unchecked.about,
  reason: unchecked.reason
})

/** What a command could not find out, for which sessions, and why; `message` is the line printed on stderr. */
export const WarningView = Schema.Struct({
  about: LookupSubjectView,
  project: Schema.String,
  sessions: Schema.Array(Schema.String),
  reason: Schema.String,
  /** Absent: a lookup could not answer. cleanup-again: it answered, and the next cleanup ends the sessions again. */
  kind: Schema.optional(Schema.Literal("cleanup-again")),
  message: Schema.String
}).annotations({ identifier: "Warning" })
export type WarningView = typeof WarningView.Type

const SUBJECT: Record<LookupSubject, string> = { pr: "the PR", issue: "the issue" }

/** At most this many sessions are named in a warning; the rest are counted. */
const NAMED_SESSIONS = 3

const sessionList = (sessions: ReadonlyArray<string>): string => {
  const named = sessions.slice(0, NAMED_SESSIONS)
  const more = sessions.length - named.length
  if (more > 0) return `${named.join(", ")} and ${more} more session${more === 1 ? "" : "s"}`
  return named.length <= 1 ? named.join("") : `${named.slice(0, -1).join(", ")} and ${named.at(-1)}`
}

/** "could not look up the PR of demo-1 and demo-2: GitHub returned 502 after 3 attempts" */
export const warningMessage = (warning: LookupWarning): string =>
  warning.kind === "cleanup-again"
    ? `${warning.reason}: the next ao session cleanup will end ${sessionList(warning.sessions)} again`
    : `could not look up ${SUBJECT[warning.about]} of ${sessionList(warning.sessions)}: ${warning.reason}`

export const warningView = (warning: LookupWarning): WarningView => ({
  about: warning.about,
  project: warning.projectId,
  sessions: warning.sessions,
  reason: warning.reason,
  ...(warning.kind === undefined ? {} : { kind: warning.kind }),
  message: warningMessage(warning)
})
