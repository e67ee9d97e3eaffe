import { Option, Schema } from "effect"
import type { Session } from "../session"
import { SessionStatus } from "../status"
import { AgentKey } from "../rules/agent-input"
import type { AttachTarget, KeyResult, OutputResult, KillResult, RestoreAllReport, RestoreResult, SendResult, SpawnResult } from "../use-cases/results"
import { SessionFailureView, sessionFailureView } from "./error-view"
import { IsoTimestamp, isoTimestamp, orNull } from "./iso-timestamp"
import { WarningView, warningView } from "./warning-view"

/** `ao session kill --json`: what the kill did, and where the uncommitted work was saved. */
export const KillView = Schema.Struct({
  name: Schema.String,
  killed: Schema.Literal(true),
  alreadyKilled: Schema.Boolean,
  runtimeKilled: Schema.Boolean,
  worktreeRemoved: Schema.Boolean,
  snapshotRef: Schema.NullOr(Schema.String),
  head: Schema.NullOr(Schema.String),
  /** What `--force` removed without saving. */
  notSaved: Schema.Array(Schema.String)
}).annotations({ identifier: "Kill" })
export type KillView = typeof KillView.Type

export const killView = (result: KillResult): KillView => ({
  name: result.id,
  killed: true,
  alreadyKilled: result.alreadyKilled,
  runtimeKilled: result.runtimeKilled,
  worktreeRemoved: result.worktreeRemoved,
  snapshotRef: orNull(result.snapshotRef),
  head: orNull(result.head),
  notSaved: result.notSaved
})

/** A session just started (spawn) or started again (restore). */
const startedFields = {
  name: Schema.String,
  project: Schema.String,
  issue: Schema.NullOr(Schema.String),
  branch: Schema.String,
  workspacePath: Schema.String,
  agent: Schema.String,
  status: SessionStatus,
  createdAt: IsoTimestamp
}

const startedView = (session: Session) => ({
  name: session.id,
  project: session.projectId,
  issue: orNull(session.issueId),
  branch: session.branch,
  workspacePath: session.workspacePath,
  agent: session.agent,
  status: session.status,
  createdAt: isoTimestamp(session.createdAt)
})

/** `ao spawn --json` */
export const SpawnView = Schema.Struct({
  ...startedFields,
  /** The branch existed before this spawn (an earlier session's, with its commits) and the worktree continues on it. */
  branchExisted: Schema.Boolean,
  /** The killed or done session of the same name this one replaces; its record is kept at `keptAt`. */
  supersedes: Schema.NullOr(
    Schema.Struct({ status: SessionStatus, createdAt: IsoTimestamp, keptAt: Schema.String, snapshotRef: Schema.NullOr(Schema.String) })
  ),
  /** What could not be looked up (the issue, with GitHub unreachable). */
  warnings: Schema.Array(WarningView)
}).annotations({ identifier: "Spawn" })
export type SpawnView = typeof SpawnView.Type

export const spawnView = (result: SpawnResult): SpawnView => ({
  ...startedView(result.session),
  branchExisted: result.branchExisted,
  supersedes: orNull(
    Option.map(result.superseded, ({ session, keptAt }) => ({
      status: session.status,
      createdAt: isoTimestamp(session.createdAt),
      keptAt,
      snapshotRef: orNull(session.snapshotRef)
    }))
  ),
  warnings: result.warnings.map(warningView)
})

/** `ao session restore --json` */
export const RestoreView = Schema.Struct({
  ...startedFields,
  restoredAt: Schema.NullOr(IsoTimestamp),
  worktreeRecreated: Schema.Boolean,
  snapshotApplied: Schema.Boolean,
  /** The argv that attaches a terminal. */
  attach: Schema.Array(Schema.String),
  /** A done session restored while its issue is still closed (or its PR merged): the next cleanup ends it again. */
  warnings: Schema.Array(WarningView)
}).annotations({ identifier: "Restore" })
export type RestoreView = typeof RestoreView.Type

export const restoreView = (result: RestoreResult): RestoreView => ({
  ...startedView(result.session),
  branch: result.branch,
  restoredAt: orNull(Option.map(result.session.restoredAt, isoTimestamp)),
  worktreeRecreated: result.worktreeRecreated,
  snapshotApplied: result.snapshotApplied,
  attach: result.attachCommand,
  warnings: result.warnings.map(warningView)
})

/** Restoring every session whose runtime died. */
export const RestoreAllView = Schema.Struct({
  restored: Schema.Array(RestoreView),
  failed: Schema.Array(SessionFailureView)
}).annotations({ identifier: "RestoreAll" })
export type RestoreAllView = typeof RestoreAllView.Type

export const restoreAllView = (report: RestoreAllReport): RestoreAllView => ({
  restored: report.restored.map(restoreView),
  failed: report.failed.map(sessionFailureView)
})

/** `ao send --json` */
export const SendView = Schema.Struct({
  name: Schema.String,
  /** True only when the submission was confirmed (by the agent's hook, or the pane changing after Enter). */
  confirmed: Schema.Boolean,
  delivery: Schema.Literal("confirmed", "unconfirmed", "not-checked").annotations({
    description:
      "confirmed: the agent took the message (its hook said so, or the pane changed after Enter); unconfirmed: typed, but no submission seen, even after a second Enter (exit code 3 in the CLI); not-checked: sent without waiting"
  }),
  confirmedBy: Schema.NullOr(Schema.Literal("hook", "screen")).annotations({
    description: "hook: the agent reported taking the prompt (UserPromptSubmit); screen: the pane changed after Enter; null: not confirmed"
  }),
  enterPresses: Schema.Number.annotations({ description: "1, or 2 when the first Enter brought no confirmation" })
}).annotations({ identifier: "Send" })
export type SendView = typeof SendView.Type

export const sendView = (result: SendResult): SendView => ({
  name: result.id,
  confirmed: result.delivery === "confirmed",
  delivery: result.delivery,
  confirmedBy: result.confirmedBy,
  enterPresses: result.enterPresses
})

export const KeyView = Schema.Struct({ name: Schema.String, key: AgentKey }).annotations({ identifier: "KeyPress" })
export type KeyView = typeof KeyView.Type

export const keyView = (result: KeyResult): KeyView => ({ name: result.id, key: result.key })

/** How to attach a terminal to a session. */
export const AttachView = Schema.Struct({ name: Schema.String, argv: Schema.Array(Schema.String) }).annotations({
  identifier: "Attach"
})
export type AttachView = typeof AttachView.Type

export const attachView = (target: AttachTarget): AttachView => ({ name: target.id, argv: target.argv })

/** `ao logs --json`: the pane's last lines, oldest first; with `ansi`, as the terminal drew them. */
export const OutputView = Schema.Struct({
  name: Schema.String,
  ansi: Schema.Boolean,
  lines: Schema.Array(Schema.String)
}).annotations({ identifier: "Output" })
export type OutputView = typeof OutputView.Type

export const outputView = (result: OutputResult): OutputView => ({ name: result.id, ansi: result.ansi, lines: result.lines })
