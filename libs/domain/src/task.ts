import { Schema } from "effect"

/**
 * What an agent was asked when it started, kept on the session's record so a
 * restore or a person can see it: the issue it came from, the template it was
 * rendered with, the extra text given with `--prompt`, and the file in the
 * worktree that holds the whole prompt when it was too long for an argument.
 */
export const TaskIssue = Schema.Struct({
  id: Schema.String,
  title: Schema.NullOr(Schema.String),
  url: Schema.NullOr(Schema.String)
}).annotations({ identifier: "TaskIssue" })
export type TaskIssue = typeof TaskIssue.Type

export const TaskSource = Schema.Struct({
  /** The issue whose text the prompt holds; null when it holds none (no issue, or `--no-issue-prompt`). */
  issue: Schema.NullOr(TaskIssue),
  /** `default` (the built-in template), `inline` (the project's `prompt:` text) or the template file's path; null without an issue. */
  template: Schema.NullOr(Schema.String),
  /** The text given with `--prompt`, appended. */
  extra: Schema.NullOr(Schema.String),
  /** The file in the worktree the agent was told to read (a prompt too long for an argument); null when it came as an argument. */
  file: Schema.NullOr(Schema.String)
}).annotations({ identifier: "TaskSource" })
export type TaskSource = typeof TaskSource.Type
