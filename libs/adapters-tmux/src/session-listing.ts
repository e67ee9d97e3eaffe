import type { RuntimeSessionInfo } from "@ao/domain"
import { DateTime, Either, ParseResult, Schema } from "effect"

/**
 * One `list-sessions -F` line per session carries everything `list` reports.
 * Session names cannot hold control characters (tmux escapes them), so a
 * unit separator splits the fields and a record separator ends the line.
 * The path goes last and may itself contain either: it takes the rest.
 */
const FIELD_SEPARATOR = "\x1f"
const RECORD_MARK = "\x1e"

const FIELDS = [
  "session_name",
  "session_created",
  "session_activity",
  // Output from the agent moves window_activity; session_activity moves only on a client's keys.
  "window_activity",
  "session_attached",
  "pane_dead",
  // Empty while the pane lives, after a signal, and until tmux has reaped the agent.
  "pane_dead_status",
  // Empty while the pane lives, and after a plain exit.
  "pane_dead_signal",
  // The server's own pid, to nudge it when it missed an agent's exit (see statusUnreaped).
  "pid",
  "pane_current_command",
  "session_path"
] as const

export const LIST_SESSIONS_FORMAT = FIELDS.map((field) => `#{${field}}`).join(FIELD_SEPARATOR) + RECORD_MARK

const EpochSeconds = Schema.compose(Schema.NumberFromString, Schema.Int.pipe(Schema.nonNegative()))
const Count = Schema.compose(Schema.NumberFromString, Schema.Int.pipe(Schema.nonNegative()))

/** One line's fields, decoded. */
export const ListedSession = Schema.Tuple(
  Schema.String.pipe(Schema.minLength(1)),
  EpochSeconds,
  EpochSeconds,
  EpochSeconds,
  Count,
  Schema.Literal("0", "1"),
  Schema.Union(Schema.Literal(""), Count),
  Schema.Union(Schema.Literal(""), Count),
  Count,
  Schema.String,
  Schema.String
)
/** A count as NumberFromString then a non-negative Int read it; undefined for anything they refuse. */
const countOf = (text: string): number | undefined => {
  if (text.trim() === "") return undefined
  const value = Number(text)
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined
}

/** An exit status or signal: empty, or a count. */
const emptyOrCountOf = (text: string): "" | number | undefined => (text === "" ? "" : countOf(text))

/**
 * The fields of one line as ListedSession decodes them, without Schema's
 * interpreter (`ls` reads a line per session); undefined for what the schema
 * does not accept. test/session-listing.test.ts runs both on the same lines.
 */
export const quickListedSession = (fields: ReadonlyArray<string>): typeof ListedSession.Type | undefined => {
  if (fields.length !== FIELDS.length) return undefined
  const [name = "", created = "", sessionActivity = "", windowActivity = "", attached = "", paneDead, exitStatus = "", exitSignal = "", serverPid = "", command = "", path = ""] = fields
  const createdAt = countOf(created)
  const sessionAt = countOf(sessionActivity)
  const windowAt = countOf(windowActivity)
  const clients = countOf(attached)
  const status = emptyOrCountOf(exitStatus)
  const signal = emptyOrCountOf(exitSignal)
  const pid = countOf(serverPid)
  if (
    name.length === 0 ||
    createdAt === undefined ||
    sessionAt === undefined ||
    windowAt === undefined ||
    clients === undefined ||
    (paneDead !== "0" && paneDead !== "1") ||
    status === undefined ||
    signal === undefined ||
    pid === undefined
  ) {
    return undefined
  }
  return [name, createdAt, sessionAt, windowAt, clients, paneDead, status, signal, pid, command, path]
}

const decodeWithSchema = Schema.decodeUnknownEither(ListedSession)

/** The quick decoder's answer; when it has none, the schema's, which says what is wrong. */
const decodeListedSession = (fields: ReadonlyArray<string>) => {
  const quick = quickListedSession(fields)
  return quick === undefined ? decodeWithSchema(fields) : Either.right(quick)
}

const fromEpochSeconds = (seconds: number) => DateTime.unsafeMake(seconds * 1000)

/** A line that is not a session record: tmux changed, or something else answered. */
export interface UnreadableListing {
  readonly line: string
  readonly problem: string
}

/** One listing: its sessions, and the server's pid when a dead pane's exit is not yet reaped. */
export interface SessionListing {
  readonly sessions: ReadonlyArray<RuntimeSessionInfo>
  /**
   * Set when some pane is dead with neither an exit status nor a signal: tmux saw
   * its terminal close but has not reaped the agent. Debian's tmux is built with
   * libutempter, whose helper swaps in its own SIGCHLD handler while tmux closes
   * the dead pane's terminal, so that agent's SIGCHLD can be lost and it stays a
   * zombie until another child of the server exits. A SIGCHLD sent to this pid
   * makes tmux reap it.
   */
  readonly unreapedServerPid: number | undefined
}

export const parseSessionListing = (stdout: string): Either.Either<SessionListing, UnreadableListing> =>
  Either.map(
    Either.all(
    stdout
      .split(`${RECORD_MARK}\n`)
      .filter((line) => line.length > 0)
      .map((line) => {
        const fields = line.split(FIELD_SEPARATOR)
        const record = [...fields.slice(0, FIELDS.length - 1), fields.slice(FIELDS.length - 1).join(FIELD_SEPARATOR)]
        return decodeListedSession(fields.length < FIELDS.length ? fields : record).pipe(
          Either.mapLeft((error) => ({ line, problem: ParseResult.TreeFormatter.formatErrorSync(error) })),
          Either.map(
            ([name, created, sessionActivity, windowActivity, attachedClients, paneDead, exitStatus, exitSignal, serverPid, paneCommand, path]) => ({
              info: {
                name,
                createdAt: fromEpochSeconds(created),
                lastActivityAt: fromEpochSeconds(Math.max(sessionActivity, windowActivity)),
                attachedClients,
                paneDead: paneDead === "1",
                ...(paneDead === "1" && exitStatus !== "" ? { exitStatus } : {}),
                paneCommand,
                path
              } satisfies RuntimeSessionInfo,
              unreaped: paneDead === "1" && exitStatus === "" && exitSignal === "",
              serverPid
            })
          )
        )
      })
    ),
    (rows): SessionListing => ({
      sessions: rows.map((row) => row.info),
      unreapedServerPid: rows.find((row) => row.unreaped)?.serverPid
    })
  )
