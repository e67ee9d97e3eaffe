import {
  CodeReview,
  type Lookup,
  type Project,
  Projects,
  ReactionLedger,
  type ReviewedPullRequest,
  type Session
} from "@ao/domain"
import { Clock, Context, Effect, Layer, Option, Ref, Schema } from "effect"

/**
 * A session's pull request as the dashboard's cards show it: CI and review
 * state, read through the CodeReview port (the watcher's: one GraphQL
 * request per repository) and kept briefly in the API process, so a board
 * that re-reads the list at every event costs GitHub nothing more. When
 * GitHub fails the last answer is kept and marked stale, with the reason.
 */
export const PrReviewView = Schema.Struct({
  /** The PR's checks and commit statuses together; `unknown` when GitHub could not be read and nothing is cached. */
  ci: Schema.Literal("passing", "failing", "pending", "none", "unknown"),
  failingChecks: Schema.Array(Schema.String),
  /** The same failing checks with where to read about each (the check run's or status's page). */
  failingCheckLinks: Schema.Array(Schema.Struct({ name: Schema.String, url: Schema.String })),
  review: Schema.Literal("approved", "changes-requested", "review-required", "none", "unknown"),
  /** How many times the watcher (`ao watch`) has asked the agent to fix failing CI on this PR. */
  fixRequests: Schema.Number,
  /** Why a person should look: CI still red after the agent was asked to fix it, or approved with CI green. */
  attention: Schema.NullOr(Schema.Literal("ci-still-red", "approved-and-green")),
  /** When GitHub answered what is shown; null when it never has. */
  checkedAt: Schema.NullOr(Schema.String),
  /** Why this may be out of date (GitHub failed or rate-limited), else null. */
  stale: Schema.NullOr(Schema.String)
}).annotations({ identifier: "PullRequestReview" })
export type PrReviewView = typeof PrReviewView.Type

/** How long one repository's answer is reused. */
export const REVIEW_TTL_MILLIS = 30_000

export class PrReviews extends Context.Tag("@ao/http-api/PrReviews")<
  PrReviews,
  {
    /** The review state of each session that has a PR, by session id; never fails (GitHub trouble shows as stale). */
    readonly of: (sessions: ReadonlyArray<Session>) => Effect.Effect<ReadonlyMap<string, PrReviewView>>
  }
>() {}

const CI: Readonly<Record<ReviewedPullRequest["checks"], PrReviewView["ci"]>> = {
  success: "passing",
  failure: "failing",
  pending: "pending",
  none: "none"
}

/** The card's view of one PR, and why it needs a person. */
export const reviewView = (
  pr: ReviewedPullRequest,
  fixRequests: number,
  checkedAt: string,
  stale: string | null
): PrReviewView => {
  const ci = CI[pr.checks]
  const attention =
    pr.state !== "open"
      ? null
      : ci === "failing" && fixRequests > 0
        ? "ci-still-red"
        : ci === "passing" && pr.reviewDecision === "approved"
          ? "approved-and-green"
          : null
  return {
    ci,
    failingChecks: pr.failingChecks.map((check) => check.name),
    failingCheckLinks: pr.failingChecks.map((check) => ({ name: check.name, url: check.url })),
    review: pr.reviewDecision,
    fixRequests,
    attention,
    checkedAt,
    stale
  }
}

interface Cached {
  readonly at: number
  readonly checkedAt: string
  /** The last answer GitHub gave, by session id. */
  readonly found: ReadonlyMap<string, ReviewedPullRequest>
  readonly absent: ReadonlySet<string>
  /** Set when the last attempt failed (the answer above is older). */
  readonly stale: string | null
  readonly fixRequests: ReadonlyMap<string, number>
}

const isoNow = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis).toISOString())

/** Sessions whose PR is asked about: those still running in a project on GitHub. */
const askable = (session: Session) => session.status !== "killed" && session.status !== "done"

export const makePrReviews = (ttlMillis = REVIEW_TTL_MILLIS) =>
  Effect.gen(function* () {
    const codeReview = yield* CodeReview
    const ledger = yield* ReactionLedger
    const projects = yield* Projects
    const cache = yield* Ref.make<ReadonlyMap<string, Cached>>(new Map())

    /** Fix requests per session from the ledger; an unreadable ledger counts none and says so. */
    const fixRequestsBySession = ledger.entries.pipe(
      Effect.map((entries) => {
        const counts = new Map<string, number>()
        for (const entry of entries) {
          if (entry.kind === "ci-failed" && (entry.outcome === "sent" || entry.outcome === "escalated")) {
            counts.set(entry.sessionId, (counts.get(entry.sessionId) ?? 0) + 1)
          }
        }
        return { counts: counts as ReadonlyMap<string, number>, problem: null as string | null }
      }),
      Effect.catchTag("StoreFailed", (error) =>
        Effect.succeed({ counts: new Map<string, number>(), problem: `the watcher's reaction ledger could not be read (${error.message})` })
      )
    )

    /** One request for the project's sessions, unless a fresh enough answer covers them all. */
    const read = (project: Project, sessions: ReadonlyArray<Session>) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const previous = (yield* Ref.get(cache)).get(project.id)
        const covered = (entry: Cached) => sessions.every((session) => entry.found.has(session.id) || entry.absent.has(session.id))
        if (previous !== undefined && now - previous.at < ttlMillis && covered(previous)) return previous
        const queries = sessions.map((session) => ({
          sessionId: session.id,
          branch: session.branch,
          url: Option.map(session.pr, (pr) => pr.url)
        }))
        const answer = yield* Effect.either(codeReview.reviews(project, queries))
        const { counts: fixRequests, problem } = yield* fixRequestsBySession
        let next: Cached
        if (answer._tag === "Left") {
          next = { ...(previous ?? { found: new Map(), absent: new Set(), checkedAt: "" }), at: now, stale: answer.left.detail, fixRequests }
        } else {
          const found = new Map(previous?.found ?? [])
          const absent = new Set<string>()
          const unknown: Array<string> = []
          for (const [id, lookup] of answer.right as ReadonlyMap<string, Lookup<ReviewedPullRequest>>) {
            if (lookup._tag === "Found") found.set(id, lookup.value)
            else if (lookup._tag === "Absent") {
              found.delete(id)
              absent.add(id)
            } else unknown.push(lookup.reason)
          }
          next = { at: now, checkedAt: yield* isoNow, found, absent, stale: unknown[0] ?? problem, fixRequests }
        }
        yield* Ref.update(cache, (all) => new Map(all).set(project.id, next))
        return next
      })

    return PrReviews.of({
      of: (sessions) =>
        Effect.gen(function* () {
          const views = new Map<string, PrReviewView>()
          const configured = yield* projects.list
          for (const project of configured) {
            if (project.scm !== "github" || Option.isNone(project.repo)) continue
            const mine = sessions.filter((session) => session.projectId === project.id && askable(session))
            if (mine.length === 0) continue
            const cached = yield* read(project, mine)
            for (const session of mine) {
              const pr = cached.found.get(session.id)
              if (pr !== undefined) {
                views.set(session.id, reviewView(pr, cached.fixRequests.get(session.id) ?? 0, cached.checkedAt, cached.stale))
              } else if (!cached.absent.has(session.id) && cached.stale !== null) {
                views.set(session.id, {
                  ci: "unknown",
                  failingChecks: [],
                  failingCheckLinks: [],
                  review: "unknown",
                  fixRequests: 0,
                  attention: null,
                  checkedAt: null,
                  stale: cached.stale
                })
              }
            }
          }
          return views
        })
    })
  })

/** The PR review source over the CodeReview port and the reaction ledger. */
export const PrReviewsLive = (ttlMillis = REVIEW_TTL_MILLIS): Layer.Layer<PrReviews, never, CodeReview | ReactionLedger | Projects> =>
  Layer.effect(PrReviews, makePrReviews(ttlMillis))
