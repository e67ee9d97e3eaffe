import {
  CodeReview,
  type IssueInfo,
  Lookup,
  type ObservedWork,
  type CheckRollup,
  type FailingCheck,
  type Mergeability,
  type PullRequestQuery,
  type RateLimit,
  type ReviewDecision,
  type ReviewedPullRequest,
  type WorkQuery
} from "@ao/domain"
import { Effect, Either, Layer, Option, Schema } from "effect"
import type { Project } from "@ao/domain"
import { GitHubClient } from "./github-client"
import { describeGitHubFailure, type GitHubFailure } from "./github-failure"
import { askBatch, type BatchItem, graphqlString } from "./graphql-batch"
import { issueFromNode, ISSUE_FIELDS, IssueNode } from "./issue-lookups"
import { issueNumberOf, parsePullRequestUrl, repositoryOf, type RepositoryRef, slugOf } from "./repository"

/**
 * The watcher's read of GitHub: every session's PR with its head and base
 * SHAs, CI rollup and failing checks, reviews asking for changes, unresolved
 * threads and mergeability, for all sessions of a repository in one GraphQL
 * request (split at 100). Written without fragments, so the emulator and
 * GitHub answer it alike.
 */

const Login = Schema.NullOr(Schema.Struct({ login: Schema.String }))
const nodesOf = <S extends Schema.Schema.Any>(schema: S) => Schema.Struct({ nodes: Schema.Array(schema) })

const ReviewNode = Schema.Struct({
  number: Schema.Int,
  url: Schema.String,
  state: Schema.Literal("OPEN", "CLOSED", "MERGED"),
  headRefOid: Schema.String,
  baseRefName: Schema.String,
  baseRefOid: Schema.String,
  mergeable: Schema.Literal("MERGEABLE", "CONFLICTING", "UNKNOWN"),
  reviewDecision: Schema.NullOr(Schema.Literal("APPROVED", "CHANGES_REQUESTED", "REVIEW_REQUIRED")),
  commits: nodesOf(
    Schema.Struct({
      commit: Schema.Struct({
        statusCheckRollup: Schema.NullOr(Schema.Struct({ state: Schema.String })),
        checkSuites: Schema.NullOr(
          nodesOf(
            Schema.Struct({
              checkRuns: Schema.NullOr(
                nodesOf(
                  Schema.Struct({
                    name: Schema.String,
                    databaseId: Schema.NullOr(Schema.Int),
                    conclusion: Schema.NullOr(Schema.String),
                    detailsUrl: Schema.NullOr(Schema.String)
                  })
                )
              )
            })
          )
        ),
        status: Schema.NullOr(
          Schema.Struct({
            contexts: Schema.Array(Schema.Struct({ context: Schema.String, state: Schema.String, targetUrl: Schema.NullOr(Schema.String) }))
          })
        )
      })
    })
  ),
  reviews: nodesOf(Schema.Struct({ id: Schema.String, author: Login, body: Schema.String })),
  reviewThreads: nodesOf(
    Schema.Struct({
      isResolved: Schema.Boolean,
      path: Schema.String,
      line: Schema.NullOr(Schema.Int),
      comments: nodesOf(Schema.Struct({ id: Schema.String, author: Login, body: Schema.String }))
    })
  )
})
type ReviewNode = typeof ReviewNode.Type

/** At most this many of each, newest where GitHub lets us choose. */
const LIMITS = { suites: 20, runs: 50, reviews: 20, threads: 50 }

const REVIEW_FIELDS = [
  "number url state headRefOid baseRefName baseRefOid mergeable reviewDecision",
  `commits(last: 1) { nodes { commit { statusCheckRollup { state }`,
  `checkSuites(first: ${LIMITS.suites}) { nodes { checkRuns(first: ${LIMITS.runs}) { nodes { name databaseId conclusion detailsUrl } } } }`,
  "status { contexts { context state targetUrl } } } } }",
  `reviews(last: ${LIMITS.reviews}, states: [CHANGES_REQUESTED]) { nodes { id author { login } body } }`,
  `reviewThreads(first: ${LIMITS.threads}) { nodes { isResolved path line comments(last: 1) { nodes { id author { login } body } } } }`
].join(" ")

/** PRs considered per branch, as for `ls`. */
const BRANCH_CANDIDATES = 10

const FAILING_CONCLUSIONS = new Set(["FAILURE", "TIMED_OUT", "CANCELLED", "STARTUP_FAILURE", "ACTION_REQUIRED"])

const rollupOf = (state: string | undefined): CheckRollup => {
  switch (state) {
    case undefined:
      return "none"
    case "SUCCESS":
      return "success"
    case "FAILURE":
    case "ERROR":
      return "failure"
    default:
      return "pending"
  }
}

const decisionOf: Record<NonNullable<ReviewNode["reviewDecision"]>, ReviewDecision> = {
  APPROVED: "approved",
  CHANGES_REQUESTED: "changes-requested",
  REVIEW_REQUIRED: "review-required"
}

const mergeabilityOf: Record<ReviewNode["mergeable"], Mergeability> = {
  MERGEABLE: "mergeable",
  CONFLICTING: "conflicting",
  UNKNOWN: "unknown"
}

const author = (login: typeof Login.Type) => login?.login ?? "ghost"

export const fromReviewNode = (node: ReviewNode): ReviewedPullRequest => {
  const commit = node.commits.nodes[0]?.commit
  const failingRuns: ReadonlyArray<FailingCheck> = (commit?.checkSuites?.nodes ?? []).flatMap((suite) =>
    (suite.checkRuns?.nodes ?? [])
      .filter((run) => run.conclusion !== null && FAILING_CONCLUSIONS.has(run.conclusion))
      .map((run) => ({ name: run.name, url: run.detailsUrl ?? node.url, ...(run.databaseId === null ? {} : { logId: String(run.databaseId) }) }))
  )
  const failingStatuses: ReadonlyArray<FailingCheck> = (commit?.status?.contexts ?? [])
    .filter((context) => context.state === "FAILURE" || context.state === "ERROR")
    .map((context) => ({ name: context.context, url: context.targetUrl ?? node.url }))
  return {
    number: node.number,
    url: node.url,
    state: node.state === "OPEN" ? "open" : node.state === "MERGED" ? "merged" : "closed",
    headSha: node.headRefOid,
    baseRef: node.baseRefName,
    baseSha: node.baseRefOid,
    checks: rollupOf(commit?.statusCheckRollup?.state),
    failingChecks: [...failingRuns, ...failingStatuses],
    reviewDecision: node.reviewDecision === null ? "none" : decisionOf[node.reviewDecision],
    changeRequests: node.reviews.nodes.map((review) => ({ id: review.id, author: author(review.author), body: review.body })),
    unresolvedThreads: node.reviewThreads.nodes.flatMap((thread) => {
      const latest = thread.comments.nodes[0]
      if (thread.isResolved || latest === undefined) return []
      return [{ commentId: latest.id, author: author(latest.author), path: thread.path, line: thread.line, body: latest.body }]
    }),
    mergeable: mergeabilityOf[node.mergeable]
  }
}

const decodeNode = Schema.decodeUnknownEither(ReviewNode)
const decodeConnection = Schema.decodeUnknownEither(nodesOf(ReviewNode))

const stateRank = { open: 0, merged: 1, closed: 2 } as const

/** One answer in the watcher's batch: a session's PR candidates, or its issue. */
type WorkItem =
  | { readonly _tag: "Prs"; readonly prs: ReadonlyArray<ReviewedPullRequest> }
  | { readonly _tag: "Issue"; readonly issue: IssueInfo }

const decodeIssue = Schema.decodeUnknownEither(IssueNode)

const batchItem = (repo: RepositoryRef, query: PullRequestQuery): BatchItem<WorkItem> =>
  Option.match(Option.flatMap(query.url, parsePullRequestUrl), {
    onSome: ({ number, repo: recorded }): BatchItem<WorkItem> => ({
      repo: recorded,
      field: `pullRequest(number: ${number}) { ${REVIEW_FIELDS} }`,
      decode: (node) => Either.map(decodeNode(node), (pr) => ({ _tag: "Prs", prs: [fromReviewNode(pr)] }))
    }),
    onNone: (): BatchItem<WorkItem> => ({
      repo,
      field:
        `pullRequests(headRefName: ${graphqlString(query.branch)}, first: ${BRANCH_CANDIDATES}, ` +
        `orderBy: { field: CREATED_AT, direction: DESC }) { nodes { ${REVIEW_FIELDS} } }`,
      decode: (node) => Either.map(decodeConnection(node), (connection) => ({ _tag: "Prs", prs: connection.nodes.map(fromReviewNode) }))
    })
  })

const issueItem = (repo: RepositoryRef, number: number): BatchItem<WorkItem> => ({
  repo,
  field: `issue(number: ${number}) { ${ISSUE_FIELDS} }`,
  decode: (node) => Either.map(decodeIssue(node), (issue) => ({ _tag: "Issue", issue: issueFromNode(issue) }))
})

/** Of several PRs from one branch: an open one, then a merged one, the newest of each. */
const pick = (candidates: ReadonlyArray<ReviewedPullRequest>): Lookup<ReviewedPullRequest> => {
  const [best] = [...candidates].sort((a, b) => stateRank[a.state] - stateRank[b.state])
  return best === undefined ? Lookup.absent() : Lookup.found(best)
}

const rateLimitOf = (failure: GitHubFailure, repo: string): Option.Option<RateLimit> =>
  failure._tag === "GitHubRateLimited"
    ? Option.some({ _tag: "RateLimited", resetAt: failure.resetAt, detail: describeGitHubFailure(failure, repo) })
    : Option.none()

const prsOf = (lookup: Lookup<WorkItem> | undefined): Lookup<ReviewedPullRequest> => {
  if (lookup === undefined) return Lookup.absent()
  if (lookup._tag !== "Found") return lookup
  return lookup.value._tag === "Prs" ? pick(lookup.value.prs) : Lookup.absent()
}

const issueOf = (lookup: Lookup<WorkItem> | undefined): Lookup<IssueInfo> => {
  if (lookup === undefined) return Lookup.absent()
  if (lookup._tag !== "Found") return lookup
  return lookup.value._tag === "Issue" ? Lookup.found(lookup.value.issue) : Lookup.absent()
}

export const GitHubCodeReviewLive: Layer.Layer<CodeReview, never, GitHubClient> = Layer.effect(
  CodeReview,
  Effect.gen(function* () {
    const client = yield* GitHubClient
    /** Every session's PR, and the issues asked for, in one request per 100 items. */
    const observe = Effect.fn("GitHubCodeReview.observe")(function* (project: Project, queries: ReadonlyArray<WorkQuery>) {
      const all = (lookup: Lookup<never>) =>
        new Map(queries.map((query): readonly [string, ObservedWork] => [query.sessionId, { pr: lookup, issue: lookup }]))
      if (Option.isNone(project.repo) || project.scm !== "github") return all(Lookup.absent())
      const slug = project.repo.value
      if (queries.length === 0) return new Map<string, ObservedWork>()
      if (!(yield* client.authenticated)) {
        return all(Lookup.unknown(`ao watch reads ${slug} over GitHub's GraphQL API, which needs a token: set GITHUB_TOKEN or run gh auth login`))
      }
      const repo = repositoryOf(slug)
      const issueNumbers = queries.map((query) => Option.getOrUndefined(Option.flatMap(query.issueId, issueNumberOf)))
      const items = [
        ...queries.map((query) => batchItem(repo, query)),
        ...issueNumbers.flatMap((number) => (number === undefined ? [] : [issueItem(repo, number)]))
      ]
      const answer = yield* Effect.either(askBatch(client, items))
      if (Either.isLeft(answer)) {
        const limited = rateLimitOf(answer.left, slug)
        if (Option.isSome(limited)) return yield* Effect.fail(limited.value)
        return all(Lookup.unknown(describeGitHubFailure(answer.left, slug)))
      }
      let nextIssue = queries.length
      return new Map(
        queries.map((query, index): readonly [string, ObservedWork] => {
          const issue = issueNumbers[index] === undefined ? Lookup.absent<IssueInfo>() : issueOf(answer.right[nextIssue++])
          return [query.sessionId, { pr: prsOf(answer.right[index]), issue }]
        })
      )
    })
    return CodeReview.of({
      observe,
      reviews: (project, queries) =>
        Effect.map(
          observe(project, queries.map((query) => ({ ...query, issueId: Option.none() }))),
          (observed) => new Map([...observed].map(([id, work]) => [id, work.pr] as const))
        ),
      jobLog: (project, logId) =>
        Option.isNone(project.repo) || !/^\d+$/.test(logId)
          ? Effect.succeedNone
          : client
              .get("/repos/{owner}/{repo}/actions/jobs/{job_id}/logs", {
                owner: repositoryOf(project.repo.value).owner,
                repo: repositoryOf(project.repo.value).name,
                job_id: logId
              })
              .pipe(
                Effect.map((body) => (typeof body === "string" ? Option.some(body) : Option.none())),
                // A log GitHub no longer serves (expired, no permission) leaves the check's URL to follow.
                Effect.catchAll(() => Effect.succeed(Option.none<string>()))
              ),
      merge: Effect.fn("GitHubCodeReview.merge")(function* (project, request) {
        if (Option.isNone(project.repo)) {
          return yield* Effect.fail({ _tag: "MergeRefused", reason: `project ${project.id} has no repository` } as const)
        }
        const repo = repositoryOf(project.repo.value)
        const merged = yield* Effect.either(
          client.put("/repos/{owner}/{repo}/pulls/{pull_number}/merge", {
            owner: repo.owner,
            repo: repo.name,
            pull_number: request.number,
            merge_method: request.method,
            sha: request.headSha
          })
        )
        if (Either.isRight(merged)) return
        const limited = rateLimitOf(merged.left, slugOf(repo))
        if (Option.isSome(limited)) return yield* Effect.fail(limited.value)
        return yield* Effect.fail({ _tag: "MergeRefused", reason: describeGitHubFailure(merged.left, slugOf(repo)) } as const)
      })
    })
  })
)
