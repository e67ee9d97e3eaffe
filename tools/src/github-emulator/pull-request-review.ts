import type { Context, Hono } from "hono"
import { type Arguments, type GraphqlObject } from "./graphql-endpoint"
import type { EmulatedPullRequest, EmulatorState, Repository } from "./state"

/**
 * What GitHub says about a pull request's head commit and review: check runs
 * (with job logs), commit statuses, reviews, review threads, mergeability and
 * the SHAs. Kept apart from the PR itself so seeding a PR again keeps them.
 */

export interface EmulatedCheckRun {
  readonly name: string
  /** queued, in_progress, completed. */
  readonly status: "queued" | "in_progress" | "completed"
  /** success, failure, cancelled, timed_out, …; null while not completed. */
  readonly conclusion: string | null
  /** The job's id: its log is served at /repos/:owner/:repo/actions/jobs/:id/logs. */
  readonly id: number
  readonly log: string
}

export interface EmulatedStatus {
  readonly context: string
  readonly state: "success" | "failure" | "error" | "pending"
  readonly targetUrl: string | null
}

export interface EmulatedReview {
  readonly id: number
  readonly author: string
  readonly state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED"
  readonly body: string
}

export interface EmulatedThread {
  readonly id: number
  readonly resolved: boolean
  readonly path: string
  readonly line: number | null
  readonly comments: ReadonlyArray<{ readonly id: number; readonly author: string; readonly body: string }>
}

export interface PullRequestReview {
  readonly headSha: string
  readonly baseSha: string
  readonly mergeable: "MERGEABLE" | "CONFLICTING" | "UNKNOWN"
  readonly checkRuns: ReadonlyArray<EmulatedCheckRun>
  readonly statuses: ReadonlyArray<EmulatedStatus>
  readonly reviews: ReadonlyArray<EmulatedReview>
  readonly threads: ReadonlyArray<EmulatedThread>
}

const sha = (seed: string) => {
  let hash = 0
  for (const character of seed) hash = (hash * 31 + character.charCodeAt(0)) >>> 0
  return hash.toString(16).padStart(8, "0").repeat(5)
}

const reviewKey = (repository: Repository, number: number) => `${repository.owner}/${repository.name}#${number}`.toLowerCase()

/** The PR's review state; a PR nobody configured has a head, no checks and no reviews. */
export const reviewOf = (state: EmulatorState, repository: Repository, pr: EmulatedPullRequest): PullRequestReview =>
  state.pullRequestReviews.get(reviewKey(repository, pr.number)) ?? {
    headSha: sha(`${repository.name}/${pr.head}`),
    baseSha: sha(`${repository.name}/${pr.base}`),
    mergeable: "MERGEABLE",
    checkRuns: [],
    statuses: [],
    reviews: [],
    threads: []
  }

export type PullRequestReviewPatch = Partial<PullRequestReview>

/** Changes what is given and keeps the rest. */
export const patchReview = (state: EmulatorState, slug: string, number: number, patch: PullRequestReviewPatch): PullRequestReview => {
  const repository = state.ensureRepository(slug)
  const pr = repository.pullRequests.get(number)
  if (pr === undefined) throw new Error(`No pull request #${number} in ${slug}: seed it first`)
  const next = { ...reviewOf(state, repository, pr), ...patch }
  state.pullRequestReviews.set(reviewKey(repository, number), next)
  return next
}

const FAILING = new Set(["failure", "timed_out", "cancelled", "startup_failure", "action_required"])

/** GitHub's rollup: any failure fails it, else anything unfinished is pending, else success; null when nothing reports. */
const rollup = (review: PullRequestReview): string | null => {
  const runs = review.checkRuns
  const statuses = review.statuses
  if (runs.length === 0 && statuses.length === 0) return null
  if (runs.some((run) => run.conclusion !== null && FAILING.has(run.conclusion)) || statuses.some((s) => s.state === "failure" || s.state === "error")) {
    return "FAILURE"
  }
  if (runs.some((run) => run.status !== "completed") || statuses.some((s) => s.state === "pending")) return "PENDING"
  return "SUCCESS"
}

const reviewDecision = (review: PullRequestReview): string => {
  const latest = new Map<string, EmulatedReview>()
  for (const entry of review.reviews) if (entry.state !== "COMMENTED") latest.set(entry.author, entry)
  const states = [...latest.values()].map((entry) => entry.state)
  if (states.includes("CHANGES_REQUESTED")) return "CHANGES_REQUESTED"
  if (states.includes("APPROVED")) return "APPROVED"
  return "REVIEW_REQUIRED"
}

const page = <A>(items: ReadonlyArray<A>, args: Arguments): ReadonlyArray<A> => {
  const first = typeof args["first"] === "number" ? args["first"] : undefined
  const last = typeof args["last"] === "number" ? args["last"] : undefined
  if (first !== undefined) return items.slice(0, first)
  if (last !== undefined) return items.slice(Math.max(items.length - last, 0))
  return items
}

const nodes = (typename: string, items: ReadonlyArray<GraphqlObject>): GraphqlObject => ({
  typename,
  fields: { nodes: () => items, totalCount: () => items.length }
})

const actor = (login: string): GraphqlObject => ({ typename: "User", fields: { login: () => login } })

/** The PullRequest fields about its head commit and review, added to the emulator's PullRequest object. */
export const pullRequestReviewFields = (
  state: EmulatorState,
  repository: Repository,
  pr: EmulatedPullRequest
): Readonly<Record<string, (args: Arguments) => unknown>> => {
  const review = () => reviewOf(state, repository, pr)
  const webBase = `${state.webUrl}/${repository.owner}/${repository.name}`
  const checkRun = (run: EmulatedCheckRun): GraphqlObject => ({
    typename: "CheckRun",
    fields: {
      name: () => run.name,
      status: () => run.status.toUpperCase(),
      conclusion: () => (run.conclusion === null ? null : run.conclusion.toUpperCase()),
      databaseId: () => run.id,
      detailsUrl: () => `${webBase}/actions/runs/1/job/${run.id}`
    }
  })
  const commit = (): GraphqlObject => ({
    typename: "Commit",
    fields: {
      oid: () => review().headSha,
      statusCheckRollup: () => {
        const state = rollup(review())
        return state === null ? null : { typename: "StatusCheckRollup", fields: { state: () => state } }
      },
      checkSuites: (args) =>
        nodes("CheckSuiteConnection", [
          {
            typename: "CheckSuite",
            fields: { checkRuns: (runArgs: Arguments) => nodes("CheckRunConnection", page(review().checkRuns, runArgs).map(checkRun)) }
          }
        ].slice(0, typeof args["first"] === "number" ? args["first"] : 1)),
      status: () =>
        review().statuses.length === 0
          ? null
          : {
              typename: "Status",
              fields: {
                contexts: () =>
                  review().statuses.map((status) => ({
                    typename: "StatusContext",
                    fields: {
                      context: () => status.context,
                      state: () => status.state.toUpperCase(),
                      targetUrl: () => status.targetUrl
                    }
                  }))
              }
            }
    }
  })
  return {
    headRefOid: () => review().headSha,
    baseRefOid: () => review().baseSha,
    mergeable: () => (pr.state === "open" ? review().mergeable : "UNKNOWN"),
    reviewDecision: () => reviewDecision(review()),
    commits: (args) => nodes("PullRequestCommitConnection", page([{ typename: "PullRequestCommit", fields: { commit } }], args)),
    reviews: (args) => {
      const states = Array.isArray(args["states"]) ? args["states"].map(String) : undefined
      const wanted = review().reviews.filter((entry) => states === undefined || states.includes(entry.state))
      return nodes(
        "PullRequestReviewConnection",
        page(wanted, args).map((entry) => ({
          typename: "PullRequestReview",
          fields: {
            id: () => `PRR_emulated_${entry.id}`,
            databaseId: () => entry.id,
            author: () => actor(entry.author),
            body: () => entry.body,
            state: () => entry.state
          }
        }))
      )
    },
    reviewThreads: (args) =>
      nodes(
        "PullRequestReviewThreadConnection",
        page(review().threads, args).map((thread) => ({
          typename: "PullRequestReviewThread",
          fields: {
            id: () => `PRRT_emulated_${thread.id}`,
            isResolved: () => thread.resolved,
            path: () => thread.path,
            line: () => thread.line,
            comments: (commentArgs) =>
              nodes(
                "PullRequestReviewCommentConnection",
                page(thread.comments, commentArgs).map((comment) => ({
                  typename: "PullRequestReviewComment",
                  fields: {
                    id: () => `PRRC_emulated_${comment.id}`,
                    databaseId: () => comment.id,
                    author: () => actor(comment.author),
                    body: () => comment.body
                  }
                }))
              )
          }
        }))
      )
  }
}

const numberOf = (c: Context, name: string) => {
  const value = Number(c.req.param(name))
  return Number.isInteger(value) && value > 0 ? value : undefined
}

/** REST: the merge endpoint and job logs, as GitHub answers them. */
export const registerReviewRestRoutes = (app: Hono, state: EmulatorState) => {
  app.put("/repos/:owner/:repo/pulls/:number/merge", async (c) => {
    const repository = state.repository(`${c.req.param("owner")}/${c.req.param("repo")}`)
    const number = numberOf(c, "number")
    const pr = number === undefined ? undefined : repository?.pullRequests.get(number)
    if (repository === undefined || pr === undefined) {
      return c.json({ message: "Not Found", documentation_url: "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request", status: "404" }, 404)
    }
    const body = (await c.req.json().catch(() => ({}))) as { readonly sha?: string; readonly merge_method?: string }
    const review = reviewOf(state, repository, pr)
    if (pr.state !== "open" || review.mergeable === "CONFLICTING") {
      return c.json({ message: "Pull Request is not mergeable", documentation_url: "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request", status: "405" }, 405)
    }
    if (body.sha !== undefined && body.sha !== review.headSha) {
      return c.json({ message: "Head branch was modified. Review and try the merge again.", documentation_url: "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request", status: "409" }, 409)
    }
    repository.pullRequests.set(pr.number, { ...pr, state: "merged" })
    state.merges.push({ slug: `${repository.owner}/${repository.name}`, number: pr.number, method: body.merge_method ?? "merge", sha: review.headSha })
    return c.json({ sha: sha(`merge/${review.headSha}`), merged: true, message: "Pull Request successfully merged" })
  })

  app.get("/repos/:owner/:repo/actions/jobs/:id/logs", (c) => {
    const repository = state.repository(`${c.req.param("owner")}/${c.req.param("repo")}`)
    const id = numberOf(c, "id")
    const run = [...state.pullRequestReviews.values()].flatMap((review) => review.checkRuns).find((entry) => entry.id === id)
    if (repository === undefined || run === undefined) {
      return c.json({ message: "Not Found", documentation_url: "https://docs.github.com/rest/actions/workflow-jobs", status: "404" }, 404)
    }
    return c.body(run.log, 200, { "content-type": "text/plain; charset=utf-8" })
  })
}
