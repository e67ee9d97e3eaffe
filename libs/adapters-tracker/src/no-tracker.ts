import { Lookup, Scm, Tracker } from "@ao/domain"
import { Effect, Layer } from "effect"

/** For configurations without GitHub: no issue is tracked and no session has a PR. */
export const NoTrackerLive: Layer.Layer<Tracker | Scm> = Layer.merge(
  Layer.succeed(
    Tracker,
    Tracker.of({
      issue: () => Effect.succeedNone,
      issueDetails: () => Effect.succeedNone,
      issues: (_project, issueIds) => Effect.succeed(new Map(issueIds.map((id) => [id, Lookup.absent()] as const))),
      // Nothing to reach: no project here uses GitHub.
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
