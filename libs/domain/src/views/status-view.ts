import { Option, Schema } from "effect"
import { TaskSource } from "../task"
import type { StatusReport, StatusRow } from "../use-cases/results"
import { BrokenSessionSummary, brokenSessionSummary, SessionSummary, sessionSummary } from "./session-summary"

export const IssueView = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  url: Schema.String,
  state: Schema.Literal("open", "closed")
}).annotations({ identifier: "Issue" })

/** One row of `ao status --json`: the session summary plus its issue as the tracker sees it. */
export const StatusRowView = Schema.Struct({
  ...SessionSummary.fields,
  issueInfo: Schema.NullOr(IssueView),
  /** What the agent was asked at spawn: the issue, the template, the `--prompt` text, the task file; null when it started with no prompt. */
  task: Schema.NullOr(TaskSource),
  /** The agent's last message in its transcript, cut to one line; null when the agent keeps no transcript ao can read. */
  summary: Schema.NullOr(Schema.String)
}).annotations({ identifier: "StatusRow" })
export type StatusRowView = typeof StatusRowView.Type

/**
 * `ao status --json`: a top-level array, so
 * `jq '.[] | select(.name=="ao-int-1234") | .workspacePath'` works.
 */
export const StatusView = Schema.Array(Schema.Union(StatusRowView, BrokenSessionSummary)).annotations({
  identifier: "Status"
})
export type StatusView = typeof StatusView.Type

export const statusRowView = (row: StatusRow): StatusRowView => ({
  ...sessionSummary(row),
  issueInfo: Option.getOrNull(
    Option.map(row.issue, (issue) => ({ id: issue.id, title: issue.title, url: issue.url, state: issue.state }))
  ),
  task: Option.getOrNull(row.session.task),
  summary: Option.getOrNull(row.summary)
})

export const statusView = (report: StatusReport): StatusView => [
  ...report.rows.map(statusRowView),
  ...report.broken.map(brokenSessionSummary)
]
