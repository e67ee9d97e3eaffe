import {
  type BrokenSessionRecord,
  SESSION_FORMAT_VERSION,
  Session,
  type StoredSession
} from "@ao/domain"
import { Either, ParseResult, Schema } from "effect"
import { decodeSessionRecord } from "./session-record"

/** A session as its file holds it: the encoded Session, pretty-printed for people to read. */
export const encodeSessionFile = (session: Session): string =>
  `${JSON.stringify(Schema.encodeSync(Session)(session), null, 2)}\n`

const decodeSession = Schema.decodeUnknownEither(Session, { onExcessProperty: "error" })

const SALVAGED_FIELDS = ["projectId", "workspacePath", "runtimeHandle", "branch"] as const

/**
 * What can still be read from a damaged file: the fields kill and cleanup
 * need to tear the session down. From the parsed object when the JSON is
 * whole, otherwise from the raw text (a truncated file keeps its first fields).
 */
const salvage = (text: string, parsed: unknown): BrokenSessionRecord["salvage"] => {
  const found: Partial<Record<(typeof SALVAGED_FIELDS)[number], string>> = {}
  for (const field of SALVAGED_FIELDS) {
    const value =
      typeof parsed === "object" && parsed !== null && field in parsed
        ? (parsed as Record<string, unknown>)[field]
        : fromRawText(text, field)
    if (typeof value === "string" && value.length > 0) found[field] = value
  }
  return found
}

const fromRawText = (text: string, field: string): string | undefined => {
  const match = new RegExp(`"${field}"\\s*:\\s*("(?:[^"\\\\\\n]|\\\\.)*")`).exec(text)
  if (match?.[1] === undefined) return undefined
  try {
    return JSON.parse(match[1]) as string
  } catch {
    return undefined
  }
}

const describeIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => (issue.path.length === 0 ? issue.message : `field ${issue.path.join(".")}: ${issue.message}`))
    .join("; ")

const problemOf = (text: string, parsed: Either.Either<unknown, string>, id: string): string | Session => {
  if (text.trim().length === 0) return "the file is empty"
  if (Either.isLeft(parsed)) return `not valid JSON (truncated?): ${parsed.left}`
  const raw = parsed.right
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return "expected a JSON object"
  const version = (raw as Record<string, unknown>)["version"]
  if (version !== SESSION_FORMAT_VERSION) {
    return `unknown format version ${JSON.stringify(version ?? null)}: this ao reads version ${SESSION_FORMAT_VERSION} (was it written by a newer ao?)`
  }
  const quick = decodeSessionRecord(raw)
  const decoded = quick === undefined ? decodeSession(raw) : Either.right(quick)
  if (Either.isLeft(decoded)) return describeIssues(decoded.left)
  if (decoded.right.id !== id) return `the file is named ${id} but holds session ${decoded.right.id}`
  return decoded.right
}

/** Decodes a session file; what does not decode becomes a Broken record, never an error. */
export const decodeSessionFile = (id: string, path: string, text: string): StoredSession => {
  const parsed = Either.try({
    try: (): unknown => JSON.parse(text),
    catch: (error) => (error instanceof Error ? error.message : String(error))
  })
  const outcome = problemOf(text, parsed, id)
  if (outcome instanceof Session) return { _tag: "Readable", session: outcome }
  return {
    _tag: "Broken",
    record: { id, path, problem: outcome, salvage: salvage(text, Either.getOrUndefined(parsed)) }
  }
}
