import { Effect, Option } from "effect"
import { Projects } from "../ports/projects"
import { listSessions } from "./list-sessions"
import type { StatusReport } from "./results"
import { foundValue, issueLookups, uncheckedBy } from "./tracker-lookups"
import { transcriptSummary } from "./transcript-summary"

/** `ao status`: the listing of live sessions plus each issue's state and the agent's last message (cached PR lookups unless `refresh`); `waiting`: only those needing a person. */
export const sessionStatus = Effect.fn("Sessions.status")(function* (query: {
  readonly projectId?: string
  readonly refresh?: boolean
  readonly waiting?: boolean
}) {
  const { waiting, ...listQuery } = query
  const all = yield* listSessions({ ...listQuery, includeEnded: false })
  const listing =
    waiting === true
      ? { ...all, sessions: all.sessions.filter((view) => view.activity.state === "waiting"), broken: [] }
      : all
  const projects = yield* Projects
  const issues = yield* issueLookups(
    yield* projects.list,
    listing.sessions.map((view) => view.session)
  )
  const summaries = yield* Effect.forEach(listing.sessions, transcriptSummary, { concurrency: 8 })
  return {
    rows: listing.sessions.map((view, index) => ({
      ...view,
      issue: Option.flatMap(Option.fromNullable(issues.get(view.session.id)), foundValue),
      summary: summaries[index] ?? Option.none(),
      unchecked: [...view.unchecked, ...uncheckedBy("issue", issues.get(view.session.id))]
    })),
    broken: listing.broken
  } satisfies StatusReport
})
