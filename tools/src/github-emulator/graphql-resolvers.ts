import { type Arguments, FieldError, type GraphqlObject } from "./graphql-endpoint"
import { pullRequestReviewFields } from "./pull-request-review"
import type { EmulatedIssue, EmulatedPullRequest, EmulatorState, Repository } from "./state"

/** The emulator's answers to the part of GitHub's GraphQL schema the adapters read, with GitHub's limits and messages. */

const CONNECTION_LIMIT = 100
const EPOCH = "2026-01-01T00:00:00Z"

const requireInt = (args: Arguments, name: string): number => {
  const value = args[name]
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new FieldError("INVALID_ARGUMENT", `Argument '${name}' on Field must be an Int`)
  }
  return value
}

const pageSize = (args: Arguments, connection: string): number => {
  const first = args["first"] ?? args["last"]
  if (typeof first !== "number") {
    throw new FieldError(
      "MISSING_PAGINATION_BOUNDARIES",
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${connection}\` connection.`
    )
  }
  if (first > CONNECTION_LIMIT) {
    throw new FieldError(
      "EXCESSIVE_PAGINATION",
      `Requesting ${first} records on the \`${connection}\` connection exceeds the \`first\` limit of ${CONNECTION_LIMIT} records.`
    )
  }
  return first
}

const issueObject = (state: EmulatorState, repository: Repository, issue: EmulatedIssue): GraphqlObject => ({
  typename: "Issue",
  fields: {
    id: () => `I_emulated_${repository.name}_${issue.number}`,
    number: () => issue.number,
    title: () => issue.title,
    url: () => state.issueUrl(repository, issue.number),
    state: () => issue.state.toUpperCase(),
    stateReason: () => (issue.stateReason === null ? null : issue.stateReason.toUpperCase()),
    closed: () => issue.state === "closed",
    createdAt: () => EPOCH,
    updatedAt: () => EPOCH
  }
})

const pullRequestObject = (state: EmulatorState, repository: Repository, pr: EmulatedPullRequest): GraphqlObject => ({
  typename: "PullRequest",
  fields: {
    id: () => `PR_emulated_${repository.name}_${pr.number}`,
    number: () => pr.number,
    title: () => pr.title,
    url: () => state.pullRequestUrl(repository, pr.number),
    state: () => pr.state.toUpperCase(),
    merged: () => pr.state === "merged",
    mergedAt: () => (pr.state === "merged" ? EPOCH : null),
    closed: () => pr.state !== "open",
    isDraft: () => false,
    ...pullRequestReviewFields(state, repository, pr),
    headRefName: () => pr.head,
    baseRefName: () => pr.base,
    createdAt: () => EPOCH,
    updatedAt: () => EPOCH
  }
})

const pullRequestConnection = (state: EmulatorState, repository: Repository, args: Arguments): GraphqlObject => {
  const size = pageSize(args, "pullRequests")
  const states = Array.isArray(args["states"]) ? args["states"].map(String) : undefined
  const head = typeof args["headRefName"] === "string" ? args["headRefName"] : undefined
  const orderBy = args["orderBy"] as { readonly direction?: string } | undefined
  const matching = [...repository.pullRequests.values()]
    .filter((pr) => (head === undefined || pr.head === head) && (states === undefined || states.includes(pr.state.toUpperCase())))
    // Numbers grow with creation time, so they stand in for CREATED_AT ordering.
    .sort((a, b) => (orderBy?.direction === "DESC" ? b.number - a.number : a.number - b.number))
  const page = matching.slice(0, size)
  return {
    typename: "PullRequestConnection",
    fields: {
      totalCount: () => matching.length,
      nodes: () => page.map((pr) => pullRequestObject(state, repository, pr)),
      pageInfo: () => ({
        typename: "PageInfo",
        fields: {
          hasNextPage: () => matching.length > page.length,
          endCursor: () => (page.length === 0 ? null : Buffer.from(`cursor:${page.length}`).toString("base64"))
        }
      })
    }
  }
}

const repositoryObject = (state: EmulatorState, repository: Repository): GraphqlObject => ({
  typename: "Repository",
  fields: {
    name: () => repository.name,
    nameWithOwner: () => `${repository.owner}/${repository.name}`,
    url: () => `${state.webUrl}/${repository.owner}/${repository.name}`,
    isPrivate: () => repository.private,
    issue: (args) => {
      const number = requireInt(args, "number")
      const issue = repository.issues.get(number)
      if (issue === undefined) throw new FieldError("NOT_FOUND", `Could not resolve to an Issue with the number of ${number}.`)
      return issueObject(state, repository, issue)
    },
    pullRequest: (args) => {
      const number = requireInt(args, "number")
      const pr = repository.pullRequests.get(number)
      if (pr === undefined) throw new FieldError("NOT_FOUND", `Could not resolve to a PullRequest with the number of ${number}.`)
      return pullRequestObject(state, repository, pr)
    },
    pullRequests: (args) => pullRequestConnection(state, repository, args)
  }
})

export const queryRoot = (
  state: EmulatorState,
  rateLimit: { readonly limit: number; readonly remaining: number; readonly resetAt: Date }
): GraphqlObject => ({
  typename: "Query",
  fields: {
    repository: (args) => {
      const slug = `${String(args["owner"])}/${String(args["name"])}`
      const repository = state.repository(slug)
      if (repository === undefined) throw new FieldError("NOT_FOUND", `Could not resolve to a Repository with the name '${slug}'.`)
      return repositoryObject(state, repository)
    },
    rateLimit: () => ({
      typename: "RateLimit",
      fields: {
        cost: () => 1,
        limit: () => rateLimit.limit,
        remaining: () => rateLimit.remaining,
        used: () => rateLimit.limit - rateLimit.remaining,
        resetAt: () => rateLimit.resetAt.toISOString().replace(/\.\d{3}Z$/, "Z")
      }
    }),
    viewer: () => ({ typename: "User", fields: { login: () => "emulated-user" } })
  }
})
