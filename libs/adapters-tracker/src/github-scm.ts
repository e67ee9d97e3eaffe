import { Lookup, type PullRequest, type PullRequestQuery, Scm } from "@ao/domain"
import { Effect, Layer, Option } from "effect"
import { GitHubClient } from "./github-client"
import { PullRequestCache } from "./pull-request-cache"
import { lookupPullRequests } from "./pull-request-lookups"
import { repositoryOf } from "./repository"

/** What a cached answer is filed under: the same question about the same repository. */
const cacheKey = (repo: string, query: PullRequestQuery): string =>
  Option.match(query.url, { onNone: () => `${repo} branch ${query.branch}`, onSome: (url) => `${repo} url ${url}` })

/**
 * GitHub pull requests as the Scm port. `cached` reads answer from the disk
 * cache where they can and ask GitHub only for the rest; `fresh` reads always
 * ask (and refresh the cache for the next `ls`). The cache keeps a found PR
 * longer than a "no PR yet", so a new PR shows up soon.
 */
export const GitHubScmLive: Layer.Layer<Scm, never, GitHubClient | PullRequestCache> = Layer.effect(
  Scm,
  Effect.gen(function* () {
    const client = yield* GitHubClient
    const cache = yield* PullRequestCache

    return Scm.of({
      pullRequests: Effect.fn("GitHubScm.pullRequests")(function* (project, queries, freshness) {
        // The code host (`scm`) is configured apart from the issue tracker: `tracker: none` keeps PRs.
        if (Option.isNone(project.repo) || project.scm !== "github") {
          return new Map(queries.map((query) => [query.sessionId, Lookup.absent<PullRequest>()] as const))
        }
        const repo = project.repo.value
        const cached =
          freshness === "cached"
            ? yield* cache.read(queries.map((query) => cacheKey(repo, query)))
            : new Map<string, Lookup<PullRequest>>()
        const missing = queries.filter((query) => !cached.has(cacheKey(repo, query)))
        const fetched = yield* lookupPullRequests(client, repositoryOf(repo), missing)
        const fetchedByKey = new Map(
          missing.map((query) => [cacheKey(repo, query), fetched.get(query.sessionId) ?? Lookup.absent<PullRequest>()] as const)
        )
        yield* cache.write(fetchedByKey)
        return new Map(
          queries.map((query) => {
            const key = cacheKey(repo, query)
            return [query.sessionId, cached.get(key) ?? fetchedByKey.get(key) ?? Lookup.absent<PullRequest>()] as const
          })
        )
      })
    })
  })
)
