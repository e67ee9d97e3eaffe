import { DateTime, Duration, Effect, Option, Order } from "effect"
import { ActivityLog } from "../ports/activity-log"
import { type BrokenSessionRecord, SessionStore, type StoredSession } from "../ports/session-store"
import { type BranchState, Workspace } from "../ports/workspace"
import { naturalOrder } from "../natural-order"
import type { Project } from "../project"
import { activityState, agentStartOf, transcriptOf } from "../rules/activity-state"
import { lastActivityOf, observedStatus } from "../rules/observed-status"
import type { Session } from "../session"
import { isEnded, isTerminal } from "../status"
import { projectOf, projectsInScope } from "./project-scope"
import type { SessionList, SessionView } from "./results"
import { runtimeIndexOf } from "./runtime-index"
import { foundValue, pullRequestLookups, uncheckedBy } from "./tracker-lookups"

/** The idle threshold of a session whose project is no longer configured. */
export const DEFAULT_IDLE_AFTER = Duration.minutes(5)

export const idleAfterOf = (project: Option.Option<Project>): Duration.Duration =>
  Option.match(project, {
    onNone: () => DEFAULT_IDLE_AFTER,
    onSome: (configured) => Duration.seconds(configured.idleAfterSeconds)
  })

/** The live branch as text; the recorded one when the worktree is gone. */
export const branchDisplay = (branch: BranchState, recorded: string): string => {
  switch (branch._tag) {
    case "OnBranch":
      return branch.branch
    case "Detached":
      return `detached@${branch.commit.slice(0, 7)}`
    case "Missing":
      return recorded
    case "Unreadable":
      return `${recorded} (HEAD unreadable)`
  }
}

export const readableSessions = (stored: ReadonlyArray<StoredSession>): ReadonlyArray<Session> =>
  stored.flatMap((entry) => (entry._tag === "Readable" ? [entry.session] : []))

export const brokenRecords = (stored: ReadonlyArray<StoredSession>): ReadonlyArray<BrokenSessionRecord> =>
  stored.flatMap((entry) => (entry._tag === "Broken" ? [entry.record] : []))

const byProjectThenName = Order.combine(
  Order.mapInput(naturalOrder, (view: SessionView) => view.session.projectId),
  Order.mapInput(naturalOrder, (view: SessionView) => view.session.id)
)

/**
 * `ao session ls`: reads only. One runtime listing for all sessions, the live
 * branch from each worktree's HEAD, PRs from the records enriched by one
 * cached code-host call per project (`refresh` asks the code host afresh).
 */
export const listSessions = Effect.fn("Sessions.list")(function* (query: {
  readonly projectId?: string
  readonly includeEnded: boolean
  readonly refresh?: boolean
}) {
  const projects = yield* projectsInScope(query.projectId)
  const store = yield* SessionStore
  const workspace = yield* Workspace
  const stored = yield* store.list({
    ...(query.projectId === undefined ? {} : { projectId: query.projectId }),
    includeEnded: true
  })
  const readable = readableSessions(stored)
  const shown = query.includeEnded ? readable : readable.filter((session) => !isEnded(session.status))
  const runtime = yield* runtimeIndexOf(shown)
  const now = yield* DateTime.now
  const prs = yield* pullRequestLookups(
    projects,
    shown.filter((session) => !isEnded(session.status)),
    query.refresh === true ? "fresh" : "cached"
  )
  const activityLog = yield* ActivityLog
  /** What the agent's hooks said; a terminal session's state is its record's, so its log is not read. */
  const reportsOf = (session: Session) => (isTerminal(session.status) ? Effect.succeed([]) : activityLog.recent(session.id))
  const sessions = yield* Effect.forEach(
    shown,
    (session) =>
      Effect.map(Effect.zip(workspace.currentBranch(session.workspacePath), reportsOf(session)), ([branch, reports]): SessionView => {
        const project = projectOf(projects, session.projectId)
        const presence = runtime.presence(session.runtimeHandle, session.runtimeServer)
        const info = presence._tag === "Running" ? Option.some(presence.info) : Option.none()
        const runtimeUnknown = presence._tag === "Unknown" ? Option.some(presence.reason) : Option.none()
        const observed = observedStatus(session, info, now, idleAfterOf(project), Option.getOrUndefined(runtimeUnknown))
        const activity = activityState({ session, runtime: info, reports, now, idleAfter: idleAfterOf(project) })
        const lastActivityAt = lastActivityOf(session, info)
        return {
          session,
          projectName: Option.match(project, { onNone: () => session.projectId, onSome: (found) => found.name }),
          branch,
          branchDisplay: branchDisplay(branch, session.branch),
          status: observed.status,
          activity,
          transcript: isTerminal(session.status) ? Option.none() : transcriptOf(reports, agentStartOf(session)),
          runtimeAlive: observed.runtimeAlive,
          runtimeUnknown,
          lastActivityAt,
          age: Duration.millis(Math.max(0, DateTime.distance(lastActivityAt, now))),
          pr: Option.orElse(Option.flatMap(Option.fromNullable(prs.get(session.id)), foundValue), () => session.pr),
          unchecked: uncheckedBy("pr", prs.get(session.id))
        }
      }),
    { concurrency: "unbounded" }
  )
  return {
    sessions: [...sessions].sort(byProjectThenName),
    broken: [...brokenRecords(stored)].sort(Order.mapInput(naturalOrder, (record: BrokenSessionRecord) => record.id)),
    hiddenEnded: readable.length - shown.length
  } satisfies SessionList
})
