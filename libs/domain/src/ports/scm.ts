import { Context, type Effect, type Option } from "effect"
import type { Project } from "../project"
import type { PullRequest } from "../session"
import type { Lookup } from "./lookup"

export interface PullRequestQuery {
  readonly sessionId: string
  readonly branch: string
  /** The PR recorded on the session, if any; otherwise it is discovered from the branch. */
  readonly url: Option.Option<string>
}

/**
 * `fresh` decisions (cleanup) never use cached data; `cached` reads (ls) may
 * reuse recent answers.
 */
export type Freshness = "fresh" | "cached"

/** The code host's pull requests (GitHub; GitLab can be another adapter). */
export class Scm extends Context.Tag("@ao/domain/Scm")<
  Scm,
  {
    /** The PR of every queried session, keyed by session id, batched. */
    readonly pullRequests: (
      project: Project,
      queries: ReadonlyArray<PullRequestQuery>,
      freshness: Freshness
    ) => Effect.Effect<ReadonlyMap<string, Lookup<PullRequest>>>
  }
>() {}
