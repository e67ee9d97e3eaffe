import { Lookup, Scm, Tracker, TrackerUnavailable } from "@ao/domain"
import { Effect, Layer } from "effect"

/** What asking about the issues of a project without a (GitHub) issue tracker meets. */
export const noIssueTracker = (project: { readonly id: string }) =>
  new TrackerUnavailable({
    service: "issue tracker",
    reason: `project ${project.id} has no issue tracker configured (set repo and tracker: github in the config)`
  })

/** For configurations without GitHub: no issue is known and no session has a PR. */
export const NoTrackerLive: Layer.Layer<Tracker | Scm> = Layer.merge(
  Layer.succeed(
    Tracker,
    Tracker.of({
      issue: (project) => Effect.fail(noIssueTracker(project)),
      issues: (_project, issueIds) => Effect.succeed(new Map(issueIds.map((id) => [id, Lookup.absent()] as const))),
      // Nothing to reach: no project here uses a tracker.
      checkAccess: () => Effect.void
    })
  ),
  Layer.succeed(
    Scm,
    Scm.of({
      pullRequests: (_project, queries) => Effect.succeed(new Map(queries.map((query) => [query.sessionId, Lookup.absent()] as const)))
    })
  )
)
