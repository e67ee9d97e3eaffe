import { IssueNotFound, Lookup, type Project, Tracker, TrackerUnavailable } from "@ao/domain"
import { Effect, Layer, Option } from "effect"
import { checkGitHubAccess } from "./access-check"
import { GitHubClient } from "./github-client"
import { lookupIssues } from "./issue-lookups"
import { noIssueTracker } from "./no-tracker"
import { repositoryOf } from "./repository"

/** The project's GitHub repository when its issues live there (`tracker: github`). */
const issueRepository = (project: Project): Option.Option<string> =>
  project.tracker === "github" ? project.repo : Option.none()

const requireIssueRepository = (project: Project): Effect.Effect<string, TrackerUnavailable> =>
  Option.match(issueRepository(project), {
    onSome: Effect.succeed,
    onNone: () => Effect.fail(noIssueTracker(project))
  })

/** GitHub Issues as the Tracker port. */
export const GitHubTrackerLive: Layer.Layer<Tracker, never, GitHubClient> = Layer.effect(
  Tracker,
  Effect.gen(function* () {
    const client = yield* GitHubClient

    return Tracker.of({
      issue: Effect.fn("GitHubTracker.issue")(function* (project, issueId) {
        const repo = yield* requireIssueRepository(project)
        const found = (yield* lookupIssues(client, repositoryOf(repo), [issueId])).get(issueId) ?? Lookup.absent()
        switch (found._tag) {
          case "Found":
            return found.value
          case "Absent":
            return yield* new IssueNotFound({ repo, issueId })
          case "Unknown":
            return yield* new TrackerUnavailable({ service: "GitHub", reason: found.reason })
        }
      }),
      issues: Effect.fn("GitHubTracker.issues")(function* (project, issueIds) {
        const repo = issueRepository(project)
        if (Option.isNone(repo)) return new Map(issueIds.map((id) => [id, Lookup.absent()] as const))
        return yield* lookupIssues(client, repositoryOf(repo.value), issueIds)
      }),
      checkAccess: (project) => checkGitHubAccess(client, project)
    })
  })
)
