import { Context, type Effect } from "effect"
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

/** The issue tracker (GitHub Issues; Linear or Jira can be other adapters). */
export class Tracker extends Context.Tag("@ao/domain/Tracker")<
  Tracker,
  {
    readonly issue: (project: Project, issueId: string) => Effect.Effect<IssueInfo, IssueNotFound | TrackerUnavailable>
    /** The state of many issues in as few requests as the service allows. */
    readonly issues: (
      project: Project,
      issueIds: ReadonlyArray<string>
    ) => Effect.Effect<ReadonlyMap<string, Lookup<IssueInfo>>>
    /** Whether the project's issues can be read: a token is found and accepted (`ao doctor`). */
    readonly checkAccess: (project: Project) => Effect.Effect<void, TrackerUnavailable>
  }
>() {}
