import { Lookup, PullRequest, type PullRequestQuery } from "@ao/domain"
import { Effect, Either, Option, Schema } from "effect"
import type { GitHubClient } from "./github-client"
import { type BatchItem, graphqlString, runBatch } from "./graphql-batch"
import { parsePullRequestUrl, type RepositoryRef } from "./repository"
import { restGet, restLookups } from "./rest-fallback"

/**
 * A session's PR: the one its recorded URL names, else the one discovered from
 * its branch. Of several PRs from one branch, an open one wins, then a merged
 * one, then the newest.
 */

type Target =
  | { readonly _tag: "ByNumber"; readonly repo: RepositoryRef; readonly number: number }
  | { readonly _tag: "ByBranch"; readonly repo: RepositoryRef; readonly branch: string }

/** PRs considered per branch: a branch reused more often than this is not a session's branch. */
const BRANCH_CANDIDATES = 10

const targetOf = (repo: RepositoryRef, query: PullRequestQuery): Target =>
  // A recorded URL that is not a GitHub PR URL cannot be asked about; the branch still can.
  Option.flatMap(query.url, parsePullRequestUrl).pipe(
    Option.match({
      onNone: () => ({ _tag: "ByBranch", repo, branch: query.branch }),
      onSome: ({ number, repo: recorded }) => ({ _tag: "ByNumber", repo: recorded, number })
    })
  )

const stateRank = { open: 0, merged: 1, closed: 2 } as const

/** Candidates come newest first; the sort is stable, so the newest of a rank wins. */
const pick = (candidates: ReadonlyArray<PullRequest>): Lookup<PullRequest> => {
  const [best] = [...candidates].sort((a, b) => stateRank[a.state] - stateRank[b.state])
  return best === undefined ? Lookup.absent() : Lookup.found(best)
}

const PullRequestNode = Schema.Struct({
  number: Schema.Int,
  url: Schema.String,
  state: Schema.Literal("OPEN", "CLOSED", "MERGED")
})

const RestPullRequest = Schema.Struct({
  number: Schema.Int,
  html_url: Schema.String,
  state: Schema.Literal("open", "closed"),
  merged_at: Schema.NullOr(Schema.String)
})

const fromNode = (node: typeof PullRequestNode.Type): PullRequest =>
  new PullRequest({ url: node.url, number: node.number, state: node.state === "OPEN" ? "open" : node.state === "MERGED" ? "merged" : "closed" })

// REST has no "merged" state: a merged PR is closed with `merged_at` set.
const fromRest = (body: typeof RestPullRequest.Type): PullRequest =>
  new PullRequest({ url: body.html_url, number: body.number, state: body.merged_at !== null ? "merged" : body.state })

const decodeNode = Schema.decodeUnknownEither(PullRequestNode)
const decodeConnection = Schema.decodeUnknownEither(Schema.Struct({ nodes: Schema.Array(PullRequestNode) }))
const decodeRest = Schema.decodeUnknownEither(RestPullRequest)
const decodeRestList = Schema.decodeUnknownEither(Schema.Array(RestPullRequest))

const PR_FIELDS = "number url state"

const batchItem = (target: Target): BatchItem<ReadonlyArray<PullRequest>> =>
  target._tag === "ByNumber"
    ? {
        repo: target.repo,
        field: `pullRequest(number: ${target.number}) { ${PR_FIELDS} }`,
        decode: (node) => Either.map(decodeNode(node), (pr) => [fromNode(pr)])
      }
    : {
        repo: target.repo,
        field:
          `pullRequests(headRefName: ${graphqlString(target.branch)}, first: ${BRANCH_CANDIDATES}, ` +
          `orderBy: { field: CREATED_AT, direction: DESC }) { nodes { ${PR_FIELDS} } }`,
        decode: (node) => Either.map(decodeConnection(node), (connection) => connection.nodes.map(fromNode))
      }

const overGraphql = (client: GitHubClient["Type"], targets: ReadonlyArray<Target>) =>
  Effect.map(runBatch(client, targets.map(batchItem)), (lookups) =>
    lookups.map((lookup) => (lookup._tag === "Found" ? pick(lookup.value) : lookup))
  )

const overRest = (client: GitHubClient["Type"], targets: ReadonlyArray<Target>) =>
  restLookups(client, targets, (target) =>
    target._tag === "ByNumber"
      ? restGet(
          client,
          {
            route: "/repos/{owner}/{repo}/pulls/{pull_number}",
            parameters: { owner: target.repo.owner, repo: target.repo.name, pull_number: target.number },
            repo: target.repo
          },
          (body) => Either.map(decodeRest(body), (pr) => Lookup.found(fromRest(pr)))
        )
      : restGet(
          client,
          {
            route: "/repos/{owner}/{repo}/pulls",
            parameters: {
              owner: target.repo.owner,
              repo: target.repo.name,
              head: `${target.repo.owner}:${target.branch}`,
              state: "all",
              per_page: BRANCH_CANDIDATES
            },
            repo: target.repo
          },
          (body) => Either.map(decodeRestList(body), (prs) => pick(prs.map(fromRest)))
        )
  )

/** Every query's PR, keyed by session id. */
export const lookupPullRequests = Effect.fn("GitHub.lookupPullRequests")(function* (
  client: GitHubClient["Type"],
  repo: RepositoryRef,
  queries: ReadonlyArray<PullRequestQuery>
) {
  if (queries.length === 0) return new Map<string, Lookup<PullRequest>>()
  const targets = queries.map((query) => targetOf(repo, query))
  const lookups = (yield* client.authenticated) ? yield* overGraphql(client, targets) : yield* overRest(client, targets)
  return new Map(queries.map((query, index) => [query.sessionId, lookups[index] ?? Lookup.absent<PullRequest>()] as const))
})
