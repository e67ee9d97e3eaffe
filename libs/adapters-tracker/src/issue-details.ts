import { type IssueComment, type IssueDetails, Lookup } from "@ao/domain"
import { Effect, Either, ParseResult, Schema } from "effect"
import type { GitHubClient } from "./github-client"
import { describeGitHubFailure } from "./github-failure"
import { type RepositoryRef, slugOf } from "./repository"
import { restGet, restLookups } from "./rest-fallback"

/**
 * An issue with its text for the agent's first prompt, over REST: the issue
 * (body, labels, comment count), then only the last page or two of its
 * comments, so a long thread costs no more requests than a short one.
 */

const Label = Schema.Union(Schema.String, Schema.Struct({ name: Schema.String }))

const RestIssueWithText = Schema.Struct({
  number: Schema.Int,
  title: Schema.String,
  html_url: Schema.String,
  state: Schema.Literal("open", "closed"),
  state_reason: Schema.optional(Schema.NullOr(Schema.String)),
  body: Schema.optional(Schema.NullOr(Schema.String)),
  labels: Schema.optionalWith(Schema.Array(Label), { default: () => [] }),
  comments: Schema.optionalWith(Schema.Int, { default: () => 0 }),
  pull_request: Schema.optional(Schema.Unknown)
})

const RestComment = Schema.Struct({
  user: Schema.optional(Schema.NullOr(Schema.Struct({ login: Schema.String }))),
  body: Schema.optional(Schema.NullOr(Schema.String)),
  created_at: Schema.String
})

const decodeIssue = Schema.decodeUnknownEither(RestIssueWithText)
const decodeComments = Schema.decodeUnknownEither(Schema.Array(RestComment))

/** GitHub's most comments on one page. */
const MAX_PER_PAGE = 100

const commentPage = (client: GitHubClient["Type"], repo: RepositoryRef, number: number, perPage: number, page: number) =>
  client
    .get("/repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: repo.owner,
      repo: repo.name,
      issue_number: number,
      per_page: perPage,
      page
    })
    .pipe(
      Effect.mapError((failure) => describeGitHubFailure(failure, slugOf(repo))),
      Effect.flatMap((body) =>
        Either.match(decodeComments(body), {
          onLeft: (error) =>
            Effect.fail(`GitHub answered in an unexpected shape: ${ParseResult.TreeFormatter.formatErrorSync(error)}`),
          onRight: (comments) =>
            Effect.succeed(
              comments.map(
                (comment): IssueComment => ({ author: comment.user?.login ?? "ghost", body: comment.body ?? "", createdAt: comment.created_at })
              )
            )
        })
      )
    )

/** The last `limit` of `total` comments, oldest first: the last page, and the one before when the last is short. */
const latestComments = (client: GitHubClient["Type"], repo: RepositoryRef, number: number, total: number, limit: number) => {
  const perPage = Math.min(Math.max(limit, 1), MAX_PER_PAGE)
  const wanted = Math.min(limit, perPage, total)
  if (wanted <= 0) return Effect.succeed<ReadonlyArray<IssueComment>>([])
  const last = Math.ceil(total / perPage)
  return Effect.gen(function* () {
    const tail = yield* commentPage(client, repo, number, perPage, last)
    const before = tail.length < wanted && last > 1 ? yield* commentPage(client, repo, number, perPage, last - 1) : []
    return [...before, ...tail].slice(-wanted)
  })
}

/** The issue with its text and latest comments: Found, Absent (no such issue, or a PR), or Unknown with the reason. */
export const lookupIssueDetails = (
  client: GitHubClient["Type"],
  repo: RepositoryRef,
  number: number,
  comments: number
): Effect.Effect<Lookup<IssueDetails>> =>
  Effect.gen(function* () {
    const [issue] = yield* restLookups(client, [number], (item) =>
      restGet(
        client,
        { route: "/repos/{owner}/{repo}/issues/{issue_number}", parameters: { owner: repo.owner, repo: repo.name, issue_number: item }, repo },
        (body) => Either.map(decodeIssue(body), (found) => (found.pull_request !== undefined ? Lookup.absent<typeof found>() : Lookup.found(found)))
      )
    )
    if (issue === undefined) return Lookup.absent()
    if (issue._tag === "Absent") return Lookup.absent()
    if (issue._tag === "Unknown") return Lookup.unknown(issue.reason)
    const found = issue.value
    const latest = yield* Effect.either(latestComments(client, repo, number, found.comments, comments))
    if (Either.isLeft(latest)) return Lookup.unknown(latest.left)
    const state = found.state
    const reason = found.state_reason?.toLowerCase()
    return Lookup.found<IssueDetails>({
      id: String(found.number),
      title: found.title,
      url: found.html_url,
      state,
      stateReason:
        state === "closed" && (reason === "completed" || reason === "not_planned" || reason === "duplicate") ? reason : null,
      body: found.body ?? "",
      labels: found.labels.map((label) => (typeof label === "string" ? label : label.name)),
      comments: latest.right
    })
  })
