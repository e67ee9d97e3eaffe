import { type DomainError, type DomainErrorTag, hintOf } from "@ao/domain"
import { tildify } from "./home-path"

/**
 * How an error's first line reads. The spec quotes some lines exactly
 * ("Error: No agent-orchestrator.yaml found", "Unknown project: my-project",
 * "Cannot restore: Session is still running", "Workspace missing: …");
 * errors about the session a command acts on read "Failed to kill session
 * ao-1: Session not found". Exhaustive, so a new error does not compile
 * until someone decides how it reads.
 */
type Headline =
  /** The message as it is. */
  | "bare"
  /** `Error: <message>` */
  | "error"
  /** `Failed to <action>: <message>`, or `Error: <message>` outside a session command. */
  | "action"

const HEADLINE: { readonly [Tag in DomainErrorTag]: Headline } = {
  ConfigNotFound: "error",
  ConfigInvalid: "error",
  ConfigAlreadyExists: "error",
  ConfigUntrusted: "error",
  NotAGitRepository: "error",
  UnknownProject: "bare",
  InvalidSessionName: "action",
  InvalidInput: "error",
  SessionNotFound: "action",
  SessionAlreadyExists: "error",
  SessionRecordBroken: "action",
  SessionStillRunning: "bare",
  SessionNotRunning: "action",
  WorkspaceMissing: "bare",
  WorkspaceFailed: "action",
  SnapshotFailed: "action",
  RuntimeFailed: "action",
  AgentDidNotStart: "action",
  ToolMissing: "error",
  StoreFailed: "action",
  SessionLocked: "action",
  IssueNotFound: "error",
  TrackerUnavailable: "error",
  EventLogFailed: "action"
}

/** What the command was doing, e.g. `kill session ao-int-1234`, and the session it was about. */
export interface FailureContext {
  readonly action?: string
  readonly session?: string
}

export const errorHeadline = (error: DomainError, context: FailureContext): string => {
  switch (HEADLINE[error._tag]) {
    case "bare":
      return error.message
    case "error":
      return `Error: ${error.message}`
    case "action":
      return context.action === undefined ? `Error: ${error.message}` : `Failed to ${context.action}: ${error.message}`
  }
}

/** The headline, then the hint on its own line; paths under home shown with `~`. */
export const errorText = (error: DomainError, context: FailureContext, homeDir: string): string => {
  const hint = hintOf(error)
  const lines = hint === undefined ? [errorHeadline(error, context)] : [errorHeadline(error, context), hint]
  return tildify(lines.join("\n"), homeDir)
}
