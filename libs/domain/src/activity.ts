import { Schema } from "effect"

/**
 * What an agent is doing, as `ls` and `status` show it. The lifecycle
 * statuses (spawning, killed, done, exited) plus what the agent reports:
 * working (busy), waiting (a person is needed: a permission prompt or a
 * question), idle (its turn ended, ready for the next instruction) and
 * active (a person is attached).
 */
export const ActivityState = Schema.Literal("spawning", "working", "waiting", "idle", "active", "exited", "done", "killed")
export type ActivityState = typeof ActivityState.Type

/** Where the shown state comes from: the agent's own hooks, the pane's activity, or the runtime's liveness. */
export const ActivitySource = Schema.Literal("hook", "screen", "runtime")
export type ActivitySource = typeof ActivitySource.Type

/** The states an agent reports through its hooks; its adapter maps each hook event to one of them. */
export const ReportedState = Schema.Literal("working", "waiting", "idle", "exited")
export type ReportedState = typeof ReportedState.Type

/** One line of a session's activity log: what a hook said, and when. */
export const ActivityReport = Schema.Struct({
  at: Schema.DateTimeUtc,
  state: ReportedState,
  /** The hook event that reported it (`PreToolUse`, `Stop`, …). */
  event: Schema.String,
  /** Which tool is asked for, what was asked, what is running. */
  detail: Schema.optional(Schema.String),
  /** The agent took a prompt (a person's, or `ao send`'s): what confirms a message was submitted. */
  submitted: Schema.optional(Schema.Boolean),
  /** Where the agent keeps its transcript (Claude Code names it in every hook): the source of the summary in `status`. */
  transcript: Schema.optional(Schema.String)
})
export type ActivityReport = typeof ActivityReport.Type
