import { Schema } from "effect"
import { ProjectId } from "./project"
import { RuntimeServer } from "./runtime-server"
import { IssueId, SessionName } from "./session-name"
import { SessionStatus } from "./status"

export const PullRequestState = Schema.Literal("open", "closed", "merged")
export type PullRequestState = typeof PullRequestState.Type

export class PullRequest extends Schema.Class<PullRequest>("PullRequest")({
  url: Schema.String,
  number: Schema.Int.pipe(Schema.positive()),
  state: PullRequestState
}) {}

/** The version of the encoded session; bump it with a migration when the shape changes. */
export const SESSION_FORMAT_VERSION = 1 as const

/**
 * One agent on one task. Encoded (to disk, over HTTP) as a flat JSON object
 * with `version`, ISO 8601 timestamps and `null` for absent values.
 */
export class Session extends Schema.Class<Session>("Session")({
  version: Schema.Literal(SESSION_FORMAT_VERSION).pipe(
    Schema.propertySignature,
    Schema.withConstructorDefault(() => SESSION_FORMAT_VERSION)
  ),
  id: SessionName,
  projectId: ProjectId,
  issueId: Schema.OptionFromNullOr(IssueId),
  /** The branch the worktree was created on; `ls` shows the live one from the worktree. */
  branch: Schema.String,
  workspacePath: Schema.String,
  /** The runtime's name for the session (the tmux session name). */
  runtimeHandle: Schema.String,
  /**
   * The runtime server the session was started on; every command talks to it.
   * Absent in records written before it was recorded: those use the caller's default server.
   */
  runtimeServer: Schema.optional(RuntimeServer),
  /** The name of the agent preset the session runs (claude, codex, aider, …). */
  agent: Schema.String,
  status: SessionStatus,
  /** Why the last transition happened, in words a user can read. */
  statusReason: Schema.String,
  pr: Schema.OptionFromNullOr(PullRequest),
  createdAt: Schema.DateTimeUtc,
  lastActivityAt: Schema.DateTimeUtc,
  restoredAt: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  /** The latest snapshot of uncommitted work taken before a removal. */
  snapshotRef: Schema.OptionFromNullOr(Schema.String)
}) {}

/** The encoded form, as stored in a session file and sent over HTTP. */
export type SessionJson = typeof Session.Encoded

export const decodeSessionJson = Schema.decodeUnknown(Session)
export const encodeSessionJson = Schema.encode(Session)
