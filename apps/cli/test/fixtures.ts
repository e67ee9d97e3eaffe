import { IssueId, ProjectId, PullRequest, Session, SessionName, type SessionView } from "@ao/domain"
import { DateTime, Duration, Option } from "effect"

export const HOME = "/home/dev"

export const session = (id: string, overrides: Partial<ConstructorParameters<typeof Session>[0]> = {}): Session =>
  new Session({
    id: SessionName.make(id),
    projectId: ProjectId.make("agent-orchestrator"),
    issueId: Option.some(IssueId.make("INT-1234")),
    branch: "int-1234-fix-errors",
    workspacePath: `${HOME}/.worktrees/agent-orchestrator-int-1234`,
    runtimeHandle: id,
    agent: "claude",
    status: "working",
    statusReason: "spawned",
    pr: Option.none(),
    createdAt: DateTime.unsafeMake(0),
    lastActivityAt: DateTime.unsafeMake(0),
    restoredAt: Option.none(),
    snapshotRef: Option.none(),
    ...overrides
  })

export const view = (id: string, overrides: Partial<SessionView> = {}): SessionView => {
  const record = overrides.session ?? session(id)
  const status = overrides.status ?? "working"
  return {
    session: record,
    projectName: "agent-orchestrator",
    branch: { _tag: "OnBranch", branch: record.branch },
    branchDisplay: record.branch,
    status,
    activity: { state: status, since: DateTime.unsafeMake(0), source: "screen", detail: Option.none(), reason: "pane activity" },
    transcript: Option.none(),
    runtimeAlive: true,
    runtimeUnknown: Option.none(),
    lastActivityAt: DateTime.unsafeMake(0),
    age: Duration.minutes(2),
    pr: Option.none(),
    unchecked: [],
    ...overrides
  }
}

export const pullRequest = (number: number, state: PullRequest["state"] = "open") =>
  new PullRequest({ url: `https://github.com/owner/repo/pull/${number}`, number, state })
