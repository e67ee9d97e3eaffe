import {
  PullRequest,
  RuntimeServer,
  SESSION_FORMAT_VERSION,
  Session,
  sessionNameProblem,
  type SessionStatus,
  type TaskSource
} from "@ao/domain"
import { DateTime, Option } from "effect"

/**
 * The read path's decoder of a session record: `ls`, `status` and cleanup read
 * one per session, and Schema's interpreter costs more than the rest of a
 * record's work. It accepts exactly what `Schema.decodeUnknown(Session,
 * { onExcessProperty: "error" })` accepts and builds the same value (proved by
 * test/session-record.test.ts); on anything it does not accept it answers
 * undefined and the caller asks the Schema, which says what is wrong.
 */

const STATUSES: ReadonlySet<string> = new Set<SessionStatus>(["spawning", "working", "idle", "active", "exited", "done", "killed"])
const PR_STATES: ReadonlySet<string> = new Set(["open", "closed", "merged"])
const PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/
const ISSUE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/
const SESSION_KEYS: ReadonlySet<string> = new Set([
  "version",
  "id",
  "projectId",
  "issueId",
  "branch",
  "workspacePath",
  "runtimeHandle",
  "runtimeServer",
  "agent",
  "status",
  "statusReason",
  "pr",
  "createdAt",
  "lastActivityAt",
  "restoredAt",
  "snapshotRef",
  "task"
])

/** Thrown inside this file only: the record is not one this decoder takes. */
const REJECT: unique symbol = Symbol("reject")

type Fields = Record<string, unknown>

/** `value` as an object holding exactly `required` and some of `optional`. */
const record = (value: unknown, required: ReadonlyArray<string>, allowed: ReadonlySet<string>): Fields => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw REJECT
  const fields = value as Fields
  for (const key of Object.keys(fields)) if (!allowed.has(key)) throw REJECT
  for (const key of required) if (!Object.hasOwn(fields, key)) throw REJECT
  return fields
}

const string = (value: unknown): string => {
  if (typeof value !== "string") throw REJECT
  return value
}

const nullableString = (value: unknown): string | null => (value === null ? null : string(value))

const positiveInt = (value: unknown): number => {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) throw REJECT
  return value
}

const dateTime = (value: unknown): DateTime.Utc => {
  const text = string(value)
  try {
    return DateTime.unsafeMake(text)
  } catch {
    throw REJECT
  }
}

const orNone = <A>(value: unknown, decode: (present: unknown) => A): Option.Option<A> =>
  value === null ? Option.none() : Option.some(decode(value))

const issueId = (value: unknown): string => {
  const trimmed = string(value).trim().replace(/^#/, "")
  if (!ISSUE_ID.test(trimmed)) throw REJECT
  return trimmed
}

const PR_KEYS: ReadonlySet<string> = new Set(["url", "number", "state"])
const pullRequest = (value: unknown): PullRequest => {
  const fields = record(value, ["url", "number", "state"], PR_KEYS)
  const state = string(fields["state"])
  if (!PR_STATES.has(state)) throw REJECT
  return new PullRequest(
    { url: string(fields["url"]), number: positiveInt(fields["number"]), state: state as PullRequest["state"] },
    true
  )
}

const SERVER_KEYS: ReadonlySet<string> = new Set(["address", "pid"])
const runtimeServer = (value: unknown): RuntimeServer => {
  const fields = record(value, ["address", "pid"], SERVER_KEYS)
  const address = string(fields["address"])
  if (address.length === 0) throw REJECT
  return new RuntimeServer({ address, pid: positiveInt(fields["pid"]) }, true)
}

const ISSUE_KEYS: ReadonlySet<string> = new Set(["id", "title", "url"])
const TASK_KEYS: ReadonlySet<string> = new Set(["issue", "template", "extra", "file"])
const taskSource = (value: unknown): TaskSource => {
  const fields = record(value, ["issue", "template", "extra", "file"], TASK_KEYS)
  const issue = fields["issue"]
  const issueFields = issue === null ? null : record(issue, ["id", "title", "url"], ISSUE_KEYS)
  return {
    issue:
      issueFields === null
        ? null
        : { id: string(issueFields["id"]), title: nullableString(issueFields["title"]), url: nullableString(issueFields["url"]) },
    template: nullableString(fields["template"]),
    extra: nullableString(fields["extra"]),
    file: nullableString(fields["file"])
  }
}

const REQUIRED = [...SESSION_KEYS].filter((key) => key !== "runtimeServer" && key !== "task")

const decode = (raw: unknown): Session => {
  const fields = record(raw, REQUIRED, SESSION_KEYS)
  if (fields["version"] !== SESSION_FORMAT_VERSION) throw REJECT
  const id = string(fields["id"])
  if (sessionNameProblem(id) !== undefined) throw REJECT
  const projectId = string(fields["projectId"])
  if (projectId.length > 64 || !PROJECT_ID.test(projectId)) throw REJECT
  const status = string(fields["status"])
  if (!STATUSES.has(status)) throw REJECT
  const server = fields["runtimeServer"]
  const task = fields["task"]
  return new Session(
    {
      version: SESSION_FORMAT_VERSION,
      id: id as Session["id"],
      projectId: projectId as Session["projectId"],
      issueId: orNone(fields["issueId"], issueId) as Session["issueId"],
      branch: string(fields["branch"]),
      workspacePath: string(fields["workspacePath"]),
      runtimeHandle: string(fields["runtimeHandle"]),
      // Schema.optional keeps a key that is there with `undefined` (never so in JSON).
      ...(Object.hasOwn(fields, "runtimeServer") ? { runtimeServer: server === undefined ? undefined : runtimeServer(server) } : {}),
      agent: string(fields["agent"]),
      status: status as SessionStatus,
      statusReason: string(fields["statusReason"]),
      pr: orNone(fields["pr"], pullRequest),
      createdAt: dateTime(fields["createdAt"]),
      lastActivityAt: dateTime(fields["lastActivityAt"]),
      restoredAt: orNone(fields["restoredAt"], dateTime),
      snapshotRef: orNone(fields["snapshotRef"], string),
      task: task === undefined || task === null ? Option.none() : Option.some(taskSource(task))
    },
    true
  )
}

/** The Session a parsed session file holds, or undefined when this decoder does not take it (ask the Schema why). */
export const decodeSessionRecord = (raw: unknown): Session | undefined => {
  try {
    return decode(raw)
  } catch (error) {
    if (error === REJECT) return undefined
    throw error
  }
}
