import type { SessionSummary } from "@ao/domain"

/**
 * Attention first: the sessions that need a person on top (a question or
 * permission prompt, then an agent that exited), then those starting or
 * being driven by a person, then working, then idle. Within a group the one
 * waiting longest comes first.
 */
const RANK: Readonly<Record<SessionSummary["activity"]["state"], number>> = {
  waiting: 0,
  exited: 1,
  spawning: 2,
  active: 3,
  working: 4,
  idle: 5,
  done: 6,
  killed: 7
}

/** Why a person should look, or undefined when nothing asks for one. */
export const attentionReason = (session: SessionSummary): string | undefined => {
  if (session.activity.state === "waiting") return session.activity.detail ?? "waiting for an answer"
  if (session.activity.state === "exited") return "the agent exited"
  return undefined
}

export const byAttention = (sessions: ReadonlyArray<SessionSummary>): Array<SessionSummary> =>
  [...sessions].sort(
    (a, b) =>
      RANK[a.activity.state] - RANK[b.activity.state] ||
      a.activity.since.localeCompare(b.activity.since) ||
      a.name.localeCompare(b.name, "en", { numeric: true })
  )

/** `42 s`, `5 min`, `3 h`, `2 d`: how long a state has lasted. */
export const lasted = (sinceIso: string, nowMillis: number): string => {
  const seconds = Math.max(0, Math.round((nowMillis - Date.parse(sinceIso)) / 1000))
  if (seconds < 60) return `${seconds} s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`
  return `${Math.floor(seconds / 86_400)} d`
}
