import type { SessionSummary } from "@ao/domain"

/** A PR's CI and review state as ao-api adds it to each listed session (`review`, null without a PR on GitHub). */
export interface PrReview {
  readonly ci: "passing" | "failing" | "pending" | "none" | "unknown"
  readonly failingChecks: ReadonlyArray<string>
  /** The failing checks with their pages (older servers send none). */
  readonly failingCheckLinks?: ReadonlyArray<{ readonly name: string; readonly url: string }>
  readonly review: "approved" | "changes-requested" | "review-required" | "none" | "unknown"
  readonly fixRequests: number
  readonly attention: "ci-still-red" | "approved-and-green" | null
  readonly checkedAt: string | null
  readonly stale: string | null
}

/** A listed session with its PR review state (older servers send none). */
export type BoardSession = SessionSummary & { readonly review?: PrReview | null }

/**
 * Attention first: the sessions that need a person on top (a question or
 * permission prompt, CI still red after the agent was asked to fix it, a PR
 * approved with CI green, an agent that exited), then those starting or
 * being driven by a person, then working, then idle. Within a group the one
 * waiting longest comes first.
 */
const RANK: Readonly<Record<SessionSummary["activity"]["state"], number>> = {
  waiting: 0,
  exited: 3,
  spawning: 4,
  active: 5,
  working: 6,
  idle: 7,
  done: 8,
  killed: 9
}

const rank = (session: BoardSession): number => {
  if (session.activity.state === "waiting") return 0
  if (session.review?.attention === "ci-still-red") return 1
  if (session.review?.attention === "approved-and-green") return 2
  return RANK[session.activity.state]
}

/** Why a person should look, or undefined when nothing asks for one. */
export const attentionReason = (session: BoardSession): string | undefined => {
  if (session.activity.state === "waiting") return session.activity.detail ?? "waiting for an answer"
  const review = session.review
  if (review?.attention === "ci-still-red") {
    const asked = `${review.fixRequests} ${review.fixRequests === 1 ? "request" : "requests"} to fix it`
    return `CI still red after ${asked}: ${review.failingChecks.join(", ") || "a check failed"}`
  }
  if (review?.attention === "approved-and-green") return "approved and CI green: ready to merge"
  if (session.activity.state === "exited") return "the agent exited"
  return undefined
}

export const byAttention = <S extends BoardSession>(sessions: ReadonlyArray<S>): Array<S> =>
  [...sessions].sort(
    (a, b) => rank(a) - rank(b) || a.activity.since.localeCompare(b.activity.since) || a.name.localeCompare(b.name, "en", { numeric: true })
  )

const CI_TEXT: Readonly<Record<PrReview["ci"], string>> = {
  passing: "CI passing",
  failing: "CI failing",
  pending: "CI pending",
  none: "no CI",
  unknown: "CI unknown"
}
const REVIEW_TEXT: Readonly<Record<PrReview["review"], string>> = {
  approved: "approved",
  "changes-requested": "changes requested",
  "review-required": "review required",
  none: "no review",
  unknown: "review unknown"
}

/** `CI failing (lint, test) · changes requested`, plus `(stale: why)` when GitHub could not be read. */
export const reviewText = (review: PrReview): string => {
  const failing = review.ci === "failing" && review.failingChecks.length > 0 ? ` (${review.failingChecks.join(", ")})` : ""
  const stale = review.stale === null ? "" : ` (stale: ${review.stale})`
  return `${CI_TEXT[review.ci]}${failing} · ${REVIEW_TEXT[review.review]}${stale}`
}

/** `42 s`, `5 min`, `3 h`, `2 d`: how long a state has lasted. */
export const lasted = (sinceIso: string, nowMillis: number): string => {
  const seconds = Math.max(0, Math.round((nowMillis - Date.parse(sinceIso)) / 1000))
  if (seconds < 60) return `${seconds} s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`
  return `${Math.floor(seconds / 86_400)} d`
}
