import { Context, type Effect, type Option } from "effect"
import type { IssueNotFound, TrackerUnavailable } from "../errors"
import type { Project } from "../project"
import type { Lookup } from "./lookup"

export interface IssueInfo {
  readonly id: string
  readonly title: string
  readonly url: string
  readonly state: "open" | "closed"
  /** Why it was closed, where the tracker says. */
  readonly stateReason: "completed" | "not_planned" | "duplicate" | null
}

export interface IssueComment {
  readonly author: string
  readonly body: string
  /** ISO 8601, as the tracker gives it. */
  readonly createdAt: string
}

/** Everything an agent is told about its issue. */
export interface IssueDetails extends IssueInfo {
  readonly body: string
  readonly labels: ReadonlyArray<string>
  /** The latest comments, oldest first, at most as many as asked for. */
  readonly comments: ReadonlyArray<IssueComment>
}

/** The issue tracker (GitHub Issues; Linear or Jira can be other adapters). */
export class Tracker extends Context.Tag("@ao/domain/Tracker")<
  Tracker,
  {
    /**
     * The issue, or None when the project's tracker does not track ids like this
     * one (no tracker, or `INT-1234` under GitHub Issues, whose ids are numbers):
     * the session then goes by the id alone.
     */
    readonly issue: (
      project: Project,
      issueId: string
    ) => Effect.Effect<Option.Option<IssueInfo>, IssueNotFound | TrackerUnavailable>
    /**
     * The issue with its text (body, labels, the latest `comments` comments),
     * for the agent's first prompt; None as for `issue`.
     */
    readonly issueDetails: (
      project: Project,
      issueId: string,
      options: { readonly comments: number }
    ) => Effect.Effect<Option.Option<IssueDetails>, IssueNotFound | TrackerUnavailable>
    /** The state of many issues in as few requests as the service allows. */
    readonly issues: (
      project: Project,
      issueIds: ReadonlyArray<string>
    ) => Effect.Effect<ReadonlyMap<string, Lookup<IssueInfo>>>
    /** Whether the project's issues can be read: a token is found and accepted (`ao doctor`). */
    readonly checkAccess: (project: Project) => Effect.Effect<void, TrackerUnavailable>
  }
>() {}
