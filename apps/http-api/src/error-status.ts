import type { DomainErrorTag } from "@ao/domain"
import type { ContentfulStatusCode } from "hono/utils/http-status"

/**
 * The HTTP status of every domain error. Exhaustive, so a new error does not
 * compile until someone decides what it means on the wire: 4xx when the
 * request names something missing or asks for what the state forbids, 502
 * when GitHub could not answer, 503 when the server cannot work at all, 500
 * when the machine failed an operation.
 */
export const STATUS_OF_ERROR: { readonly [Tag in DomainErrorTag]: ContentfulStatusCode } = {
  ConfigNotFound: 503,
  ConfigInvalid: 503,
  ConfigAlreadyExists: 409,
  // A repository config asked to run a command the user has not trusted (ao trust).
  ConfigUntrusted: 403,
  NotAGitRepository: 409,
  UnknownProject: 404,
  InvalidSessionName: 400,
  InvalidInput: 400,
  SessionNotFound: 404,
  SessionAlreadyExists: 409,
  SessionRecordBroken: 409,
  SessionStillRunning: 409,
  SessionNotRunning: 409,
  WorkspaceMissing: 409,
  WorkspaceFailed: 500,
  // A refusal to destroy work it could not save: the worktree's state is in the way.
  SnapshotFailed: 409,
  RuntimeFailed: 500,
  // The configured agent command does not run: the request cannot be carried out as configured.
  AgentDidNotStart: 422,
  ToolMissing: 503,
  StoreFailed: 500,
  SessionLocked: 409,
  IssueNotFound: 404,
  TrackerUnavailable: 502,
  EventLogFailed: 500
}
