import { IssueNotFound, Lookup, type Project, Tracker, TrackerUnavailable } from "@ao/domain"
import { Effect, Layer, Option } from "effect"
import { checkGitHubAccess } from "./access-check"
import { GitHubClient } from "./github-client"
import { lookupIssueDetails } from "./issue-details"
import { lookupIssues } from "./issue-lookups"
import { issueNumberOf, repositoryOf } from "./repository"

/** The project's GitHub repository when its issues live there (`tracker: github`). */
const issueRepository = (project: Project): Option.Option<string> =>
  project.tracker === "github" ? project.repo : Option.none()

/** A lookup's answer as the Tracker port gives it: found, or the error that says why not. */
const answerOf = <A>(found: Lookup<A>, repo: string, issueId: string): Effect.Effect<Option.Option<A>, IssueNotFound | TrackerUnavailable> => {
  switch (found._tag) {
    case "Found":
      return Effect.succeed(Option.some(found.value))
    case "Absent":
      return new IssueNotFound({ repo, issueId })
    case "Unknown":
      return new TrackerUnavailable({ service: "GitHub", reason: found.reason })
  }
}

/**
 * GitHub Issues as the Tracker port. Only numbered ids (`42`) are GitHub
 * issues; any other id (`INT-1234`, from Linear or Jira) is not tracked here,
 * so the session goes by the id alone and no issue state is looked up for it.
 */
export const GitHubTrackerLive: Layer.Layer<Tracker, never, GitHubClient> = Layer.effect(
  Tracker,
  Effect.gen(function* () {
    const client = yield* GitHubClient

    return Tracker.of({
      issue: Effect.fn("GitHubTracker.issue")(function* (project, issueId) {
        const repo = issueRepository(project)
        if (Option.isNone(repo) || Option.isNone(issueNumberOf(issueId))) return Option.none()
        const found = (yield* lookupIssues(client, repositoryOf(repo.value), [issueId])).get(issueId) ?? Lookup.absent()
        return yield* answerOf(found, repo.value, issueId)
      }),
      issueDetails: Effect.fn("GitHubTracker.issueDetails")(function* (project, issueId, options) {
        const repo = issueRepository(project)
        const number = issueNumberOf(issueId)
        if (Option.isNone(repo) || Option.isNone(number)) return Option.none()
        const found = yield* lookupIssueDetails(client, repositoryOf(repo.value), number.value, options.comments)
        return yield* answerOf(found, repo.value, issueId)
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
