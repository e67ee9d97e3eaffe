import { type IssueInfo, Lookup } from "@ao/domain"
import { Effect, Either, Option, Schema } from "effect"
import type { GitHubClient } from "./github-client"
import { type BatchItem, runBatch } from "./graphql-batch"
import { issueNumberOf, type RepositoryRef } from "./repository"
import { restGet, restLookups } from "./rest-fallback"

/** Issue states from GitHub, batched over GraphQL with a token and over REST without. */

export const IssueNode = Schema.Struct({
  number: Schema.Int,
  title: Schema.String,
  url: Schema.String,
  state: Schema.Literal("OPEN", "CLOSED"),
  stateReason: Schema.NullOr(Schema.String)
})

const RestIssue = Schema.Struct({
  number: Schema.Int,
  title: Schema.String,
  html_url: Schema.String,
  state: Schema.Literal("open", "closed"),
  state_reason: Schema.optional(Schema.NullOr(Schema.String)),
  // Every PR is also an issue on GitHub; one is not an issue a session works on.
  pull_request: Schema.optional(Schema.Unknown)
})

/** `REOPENED` (and anything newer) says nothing about why an issue is closed. */
const stateReasonOf = (state: "open" | "closed", reason: string | null | undefined): IssueInfo["stateReason"] => {
  if (state === "open") return null
  switch (reason?.toLowerCase()) {
    case "completed":
      return "completed"
    case "not_planned":
      return "not_planned"
    case "duplicate":
      return "duplicate"
    default:
      return null
  }
}

/** What is read of an issue over GraphQL (the lookups here and the watcher's batch). */
export const ISSUE_FIELDS = "number title url state stateReason"

const issueField = (number: number): string => `issue(number: ${number}) { ${ISSUE_FIELDS} }`

const decodeIssueNode = Schema.decodeUnknownEither(IssueNode)
const decodeRestIssue = Schema.decodeUnknownEither(RestIssue)

interface IssueFields {
  readonly number: number
  readonly title: string
  readonly url: string
  readonly state: "open" | "closed"
  readonly stateReason: string | null | undefined
}

const toIssueInfo = (issue: IssueFields): IssueInfo => ({
  id: String(issue.number),
  title: issue.title,
  url: issue.url,
  state: issue.state,
  stateReason: stateReasonOf(issue.state, issue.stateReason)
})

export const issueFromNode = (issue: typeof IssueNode.Type): IssueInfo =>
  toIssueInfo({ ...issue, state: issue.state === "OPEN" ? "open" : "closed" })

const overGraphql = (client: GitHubClient["Type"], repo: RepositoryRef, numbers: ReadonlyArray<number>) =>
  runBatch(
    client,
    numbers.map(
      (number): BatchItem<IssueInfo> => ({
        repo,
        field: issueField(number),
        decode: (node) => Either.map(decodeIssueNode(node), issueFromNode)
      })
    )
  )

const overRest = (client: GitHubClient["Type"], repo: RepositoryRef, numbers: ReadonlyArray<number>) =>
  restLookups(client, numbers, (number) =>
    restGet(
      client,
      {
        route: "/repos/{owner}/{repo}/issues/{issue_number}",
        parameters: { owner: repo.owner, repo: repo.name, issue_number: number },
        repo
      },
      (body) =>
        Either.map(decodeRestIssue(body), (issue) =>
          issue.pull_request !== undefined
            ? Lookup.absent<IssueInfo>()
            : Lookup.found(toIssueInfo({ ...issue, url: issue.html_url, stateReason: issue.state_reason }))
        )
    )
  )

/** Every id's issue, keyed by the id as given; ids that are not issue numbers are Absent. */
export const lookupIssues = Effect.fn("GitHub.lookupIssues")(function* (
  client: GitHubClient["Type"],
  repo: RepositoryRef,
  issueIds: ReadonlyArray<string>
) {
  const numbered = issueIds.flatMap((id) => Option.match(issueNumberOf(id), { onNone: () => [], onSome: (number) => [{ id, number }] }))
  const numbers = numbered.map((entry) => entry.number)
  const lookups =
    numbers.length === 0 ? [] : (yield* client.authenticated) ? yield* overGraphql(client, repo, numbers) : yield* overRest(client, repo, numbers)
  const byId = new Map(numbered.map((entry, index) => [entry.id, lookups[index] ?? Lookup.absent<IssueInfo>()] as const))
  return new Map(issueIds.map((id) => [id, byId.get(id) ?? Lookup.absent<IssueInfo>()] as const))
})
