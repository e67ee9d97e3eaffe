import { Effect, Option } from "effect"
import { Projects } from "../ports/projects"
import { listSessions } from "./list-sessions"
import type { StatusReport } from "./results"
import { foundValue, issueLookups } from "./tracker-lookups"

/** `ao status`: the listing of live sessions plus each issue's state (cached lookups); `waiting`: only those needing a person. */
export const sessionStatus = Effect.fn("Sessions.status")(function* (query: {
  readonly projectId?: string
  readonly waiting?: boolean
}) {
  const all = yield* listSessions({ ...(query.projectId === undefined ? {} : { projectId: query.projectId }), includeEnded: false })
  const listing =
    query.waiting === true
      ? { ...all, sessions: all.sessions.filter((view) => view.activity.state === "waiting"), broken: [] }
      : all
  const projects = yield* Projects
  const issues = yield* issueLookups(
    yield* projects.list,
    listing.sessions.map((view) => view.session)
  )
  return {
    rows: listing.sessions.map((view) => ({
      ...view,
      issue: Option.flatMap(Option.fromNullable(issues.get(view.session.id)), foundValue)
    })),
    broken: listing.broken
  } satisfies StatusReport
})
