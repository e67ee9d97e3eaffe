import { Schema } from "effect"

/**
 * Every failure a user can meet, as data. Each carries what its message needs
 * (which input, which path) and says what to do next; the apps map them by
 * `_tag` to exit codes and HTTP statuses, so a new error does not compile
 * until it is mapped.
 */

export class ConfigNotFound extends Schema.TaggedError<ConfigNotFound>()("ConfigNotFound", {
  searched: Schema.Array(Schema.String)
}) {
  override get message() {
    return "No agent-orchestrator.yaml found"
  }
  get hint() {
    return "Run: ao init"
  }
}

export class ConfigInvalid extends Schema.TaggedError<ConfigInvalid>()("ConfigInvalid", {
  path: Schema.String,
  problem: Schema.String
}) {
  override get message() {
    return `Invalid config ${this.path}: ${this.problem}`
  }
  get hint() {
    return `Fix ${this.path} (editors can validate it against agent-orchestrator.schema.json)`
  }
}

export class ConfigAlreadyExists extends Schema.TaggedError<ConfigAlreadyExists>()("ConfigAlreadyExists", {
  path: Schema.String
}) {
  override get message() {
    return `Config already exists: ${this.path}`
  }
  get hint() {
    return "Edit it, or remove it first to start over"
  }
}

export class NotAGitRepository extends Schema.TaggedError<NotAGitRepository>()("NotAGitRepository", {
  path: Schema.String
}) {
  override get message() {
    return `Not a git repository: ${this.path}`
  }
  get hint() {
    return "Run ao init inside the git repository the agents should work on"
  }
}

/** A word as a POSIX shell reads it back: quoted when it holds anything but safe characters. */
const shellWord = (word: string): string => (/^[A-Za-z0-9_./~:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`)

/**
 * A config that is not the user's own (a repository's agent-orchestrator.yaml)
 * asked to run a command before the user trusted that file, or after it changed.
 */
export class ConfigUntrusted extends Schema.TaggedError<ConfigUntrusted>()("ConfigUntrusted", {
  path: Schema.String,
  /** What it would run, each command as one line. */
  commands: Schema.Array(Schema.String)
}) {
  override get message() {
    return `Not running commands from ${this.path}: the file is not trusted yet, or changed since it was trusted (it would run: ${this.commands.join("; ")})`
  }
  get hint() {
    return `Review the file, then run: ao trust ${shellWord(this.path)}`
  }
}

export class UnknownProject extends Schema.TaggedError<UnknownProject>()("UnknownProject", {
  projectId: Schema.String,
  known: Schema.Array(Schema.String)
}) {
  override get message() {
    return `Unknown project: ${this.projectId}`
  }
  get hint() {
    return this.known.length === 0
      ? "Register its repository: ao project add <path> --id <project>"
      : `Use a valid project ID: ${this.known.join(", ")}`
  }
}

export class InvalidSessionName extends Schema.TaggedError<InvalidSessionName>()("InvalidSessionName", {
  input: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Invalid session name ${JSON.stringify(this.input)}: ${this.reason}`
  }
  get hint() {
    return "Session names look like ao-int-1234: lower-case letters, digits, '.', '_' and '-'. List them with: ao session ls"
  }
}

export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  field: Schema.String,
  input: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Invalid ${this.field} ${JSON.stringify(this.input)}: ${this.reason}`
  }
}

export class SessionNotFound extends Schema.TaggedError<SessionNotFound>()("SessionNotFound", {
  id: Schema.String
}) {
  override get message() {
    return "Session not found"
  }
  get hint() {
    return "List sessions to find the correct name: ao session ls"
  }
}

export class SessionAlreadyExists extends Schema.TaggedError<SessionAlreadyExists>()("SessionAlreadyExists", {
  id: Schema.String,
  /**
   * Absent: a session record holds the name. "tmux": a tmux session ao did
   * not start does, so ao's own commands cannot act on it.
   */
  heldBy: Schema.optional(Schema.Literal("tmux")),
  /** The working directory of the tmux session that holds the name, when known. */
  path: Schema.optional(Schema.String)
}) {
  override get message() {
    return this.heldBy === "tmux"
      ? `tmux session ${this.id} already exists and ao did not start it${this.path === undefined ? "" : ` (it runs in ${this.path})`}`
      : `Session ${this.id} already exists`
  }
  get hint() {
    return this.heldBy === "tmux"
      ? `End it (tmux kill-session -t '=${this.id}') or rename it (tmux rename-session -t '=${this.id}' <new-name>), then run the command again`
      : `Attach to it (ao session attach ${this.id}), restore it (ao session restore ${this.id}) or kill it first (ao session kill ${this.id})`
  }
}

export class SessionRecordBroken extends Schema.TaggedError<SessionRecordBroken>()("SessionRecordBroken", {
  id: Schema.String,
  path: Schema.String,
  problem: Schema.String
}) {
  override get message() {
    return `Session file ${this.path} is unreadable: ${this.problem}`
  }
  get hint() {
    return `ao session kill ${this.id} still removes its tmux session and worktree`
  }
}

/**
 * The spawn that starts the same work afresh: `ao spawn my-project INT-1234`.
 * Optional parts, so an error made without them still reads.
 */
const freshSpawn = (session: { readonly projectId?: string | undefined; readonly issueId?: string | undefined }): string =>
  ["ao spawn", session.projectId ?? "<project>", ...(session.issueId === undefined ? [] : [session.issueId])].join(" ")

export class SessionStillRunning extends Schema.TaggedError<SessionStillRunning>()("SessionStillRunning", {
  id: Schema.String,
  projectId: Schema.optional(Schema.String),
  issueId: Schema.optional(Schema.String)
}) {
  override get message() {
    return "Cannot restore: Session is still running"
  }
  get hint() {
    return [
      "Kill the session first if you want to restart it:",
      `  ao session kill ${this.id}`,
      `  ${freshSpawn(this)}  # Create fresh session`
    ].join("\n")
  }
}

export class SessionNotRunning extends Schema.TaggedError<SessionNotRunning>()("SessionNotRunning", {
  id: Schema.String
}) {
  override get message() {
    return `Session ${this.id} is not running`
  }
  get hint() {
    return `Restore it first: ao session restore ${this.id}`
  }
}

export class WorkspaceMissing extends Schema.TaggedError<WorkspaceMissing>()("WorkspaceMissing", {
  id: Schema.String,
  path: Schema.String,
  projectId: Schema.optional(Schema.String),
  issueId: Schema.optional(Schema.String)
}) {
  override get message() {
    return `Workspace missing: ${this.path}`
  }
  get hint() {
    return [
      "The worktree was deleted. Create a new session:",
      `  ${freshSpawn(this)}`,
      "or rebuild it from its branch and latest snapshot:",
      `  ao session restore ${this.id} --recreate`
    ].join("\n")
  }
}

export class WorkspaceFailed extends Schema.TaggedError<WorkspaceFailed>()("WorkspaceFailed", {
  operation: Schema.String,
  path: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `Could not ${this.operation} worktree ${this.path}: ${this.detail}`
  }
}

/** A removal refused because the uncommitted work could not be saved first. */
export class SnapshotFailed extends Schema.TaggedError<SnapshotFailed>()("SnapshotFailed", {
  path: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `Refusing to remove ${this.path}: could not snapshot its uncommitted work (${this.detail})`
  }
  get hint() {
    return `Commit or copy the work in ${this.path} by hand, then run the command again`
  }
}

export class RuntimeFailed extends Schema.TaggedError<RuntimeFailed>()("RuntimeFailed", {
  operation: Schema.String,
  target: Schema.String,
  detail: Schema.String,
  /** Which runtime failed, when not tmux (e.g. "the Docker engine at unix:///var/run/docker.sock"). */
  runtime: Schema.optionalWith(Schema.String, { exact: true })
}) {
  override get message() {
    return `${this.runtime ?? "tmux"} could not ${this.operation} ${this.target}: ${this.detail}`
  }
}

/**
 * The agent's pane died within the start check after spawn created it: the
 * program is missing (exit status 127), cannot be executed (126), or exited
 * at once. The spawn was rolled back; `output` holds the pane's last lines.
 */
export class AgentDidNotStart extends Schema.TaggedError<AgentDidNotStart>()("AgentDidNotStart", {
  id: Schema.String,
  /** The program the agent command runs (its first word). */
  program: Schema.String,
  /** The agent's configured launch command, without the prompt. */
  launch: Schema.Array(Schema.String),
  /** Absent when the runtime could not say (killed by a signal, or the session vanished). */
  exitStatus: Schema.optional(Schema.Number),
  /** The whole tmux session ended, not just the agent's pane (someone ended it). */
  vanished: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** The pane's last non-empty lines, oldest first. */
  output: Schema.Array(Schema.String),
  /** How long spawn waited before it looked, in seconds. */
  checkedAfterSeconds: Schema.Number
}) {
  override get message() {
    const status = this.exitStatus === undefined ? "" : ` (exit status ${this.exitStatus})`
    const what =
      this.exitStatus === 127
        ? `agent command \`${this.program}\` not found on PATH${status}`
        : this.exitStatus === 126
          ? `agent command \`${this.program}\` cannot be executed${status}`
          : this.vanished
            ? `the agent's tmux session ended within ${this.checkedAfterSeconds} s of starting`
            : `the agent exited within ${this.checkedAfterSeconds} s of starting${status}`
    return `${what}; session ${this.id} was rolled back (no record, worktree or branch left)`
  }
  get hint() {
    const output = this.output.length === 0 ? ["The pane printed nothing."] : ["Its last output:", ...this.output.map((line) => `  ${line}`)]
    const next =
      this.exitStatus === 127 || this.exitStatus === 126
        ? `Install \`${this.program}\`, or set \`agent:\` in agent-orchestrator.yaml to a command that runs (e.g. agent: { launch: "my-agent --flag", resume: "my-agent --continue" })`
        : `Run \`${this.launch.map(shellWord).join(" ")}\` in the repository to see why it exits, or set \`agent:\` in agent-orchestrator.yaml to a command that keeps running`
    return [...output, next].join("\n")
  }
}

export class ToolMissing extends Schema.TaggedError<ToolMissing>()("ToolMissing", {
  tool: Schema.String
}) {
  override get message() {
    return `${this.tool} is not installed or not on PATH`
  }
  get hint() {
    return `Install ${this.tool} and run the command again`
  }
}

export class StoreFailed extends Schema.TaggedError<StoreFailed>()("StoreFailed", {
  operation: Schema.String,
  path: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `Could not ${this.operation} ${this.path}: ${this.detail}`
  }
}

export class SessionLocked extends Schema.TaggedError<SessionLocked>()("SessionLocked", {
  id: Schema.String,
  holderPid: Schema.Number
}) {
  override get message() {
    return `Session ${this.id} is busy: another ao process (pid ${this.holderPid}) is changing it`
  }
  get hint() {
    return "Wait for it to finish and run the command again"
  }
}

export class IssueNotFound extends Schema.TaggedError<IssueNotFound>()("IssueNotFound", {
  repo: Schema.String,
  issueId: Schema.String
}) {
  override get message() {
    return `Issue ${this.issueId} not found in ${this.repo}`
  }
}

/** The tracker or code host could not answer; never read as a verdict on a session. */
export class TrackerUnavailable extends Schema.TaggedError<TrackerUnavailable>()("TrackerUnavailable", {
  service: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `${this.service} unavailable: ${this.reason}`
  }
}

export class EventLogFailed extends Schema.TaggedError<EventLogFailed>()("EventLogFailed", {
  path: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `Could not write the event log ${this.path}: ${this.detail}`
  }
}

/** Every error a user can meet, for exhaustive mapping in the apps. */
export type DomainError =
  | ConfigNotFound
  | ConfigInvalid
  | ConfigAlreadyExists
  | ConfigUntrusted
  | NotAGitRepository
  | UnknownProject
  | InvalidSessionName
  | InvalidInput
  | SessionNotFound
  | SessionAlreadyExists
  | SessionRecordBroken
  | SessionStillRunning
  | SessionNotRunning
  | WorkspaceMissing
  | WorkspaceFailed
  | SnapshotFailed
  | RuntimeFailed
  | AgentDidNotStart
  | ToolMissing
  | StoreFailed
  | SessionLocked
  | IssueNotFound
  | TrackerUnavailable
  | EventLogFailed

export const DomainError = Schema.Union(
  ConfigNotFound,
  ConfigInvalid,
  ConfigAlreadyExists,
  ConfigUntrusted,
  NotAGitRepository,
  UnknownProject,
  InvalidSessionName,
  InvalidInput,
  SessionNotFound,
  SessionAlreadyExists,
  SessionRecordBroken,
  SessionStillRunning,
  SessionNotRunning,
  WorkspaceMissing,
  WorkspaceFailed,
  SnapshotFailed,
  RuntimeFailed,
  AgentDidNotStart,
  ToolMissing,
  StoreFailed,
  SessionLocked,
  IssueNotFound,
  TrackerUnavailable,
  EventLogFailed
)

export type DomainErrorTag = DomainError["_tag"]

/** A next step for the user, where the error has one. */
export const hintOf = (error: DomainError): string | undefined =>
  "hint" in error && typeof error.hint === "string" ? error.hint : undefined
