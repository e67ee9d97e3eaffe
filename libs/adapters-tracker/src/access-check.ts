import { type Project, TrackerUnavailable } from "@ao/domain"
import { Effect, Option } from "effect"
import type { GitHubClient } from "./github-client"
import { describeGitHubFailure } from "./github-failure"
import { repositoryOf } from "./repository"

const unavailable = (reason: string) => new TrackerUnavailable({ service: "GitHub", reason })

/**
 * `ao doctor`: a token is found, and GitHub accepts it for the project's
 * repository. Public repositories work without one, but issue and PR lookups
 * over GraphQL need it, so a missing token is worth reporting.
 */
export const checkGitHubAccess = (client: GitHubClient["Type"], project: Project): Effect.Effect<void, TrackerUnavailable> =>
  Effect.gen(function* () {
    if ((project.tracker !== "github" && project.scm !== "github") || Option.isNone(project.repo)) return
    if (!(yield* client.authenticated)) {
      return yield* unavailable("no GitHub token found; set GITHUB_TOKEN or GH_TOKEN, or run: gh auth login")
    }
    const repo = project.repo.value
    const { owner, name } = repositoryOf(repo)
    yield* client
      .get("/repos/{owner}/{repo}", { owner, repo: name })
      .pipe(Effect.mapError((failure) => unavailable(describeGitHubFailure(failure, repo))))
  })
