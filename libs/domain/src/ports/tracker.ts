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
    /** The state of many issues in as few requests as the service allows. */
    readonly issues: (
      project: Project,
      issueIds: ReadonlyArray<string>
    ) => Effect.Effect<ReadonlyMap<string, Lookup<IssueInfo>>>
    /** Whether the project's issues can be read: a token is found and accepted (`ao doctor`). */
    readonly checkAccess: (project: Project) => Effect.Effect<void, TrackerUnavailable>
  }
>() {}
