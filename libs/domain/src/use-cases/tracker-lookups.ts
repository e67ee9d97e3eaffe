import { Effect, Option } from "effect"
import { Lookup } from "../ports/lookup"
import { type Freshness, Scm } from "../ports/scm"
import { Tracker, type IssueInfo } from "../ports/tracker"
import type { Project } from "../project"
import type { PullRequest, Session } from "../session"
import { codeHostRepo, issueTrackerRepo } from "./project-scope"
import type { LookupSubject, LookupWarning, UncheckedLookup } from "./results"

/** Sessions grouped under their configured project, when `repoOf` names a repository to ask. */
const byProjectWith = (
  repoOf: (project: Project) => Option.Option<string>,
  projects: ReadonlyArray<Project>,
  sessions: ReadonlyArray<Session>
) =>
  projects.flatMap((project) => {
    const own = sessions.filter((session) => session.projectId === project.id)
    return Option.isSome(repoOf(project)) && own.length > 0 ? [{ project, sessions: own }] : []
  })

const recordedPullRequest = (session: Session): Lookup<PullRequest> =>
  Option.match(session.pr, { onNone: () => Lookup.absent(), onSome: (pr) => Lookup.found(pr) })

/**
 * The PR of every session, keyed by session id: one batched Scm call per
 * project with a code host (`scm: github`), whatever its issue tracker; elsewhere
 * what the record says.
 */
export const pullRequestLookups = Effect.fn("Lookups.pullRequests")(function* (
  projects: ReadonlyArray<Project>,
  sessions: ReadonlyArray<Session>,
  freshness: Freshness
) {
  const scm = yield* Scm
  const answers = yield* Effect.forEach(
    byProjectWith(codeHostRepo, projects, sessions),
    ({ project, sessions: own }) =>
      scm.pullRequests(
        project,
        own.map((session) => ({
          sessionId: session.id,
          branch: session.branch,
          url: Option.map(session.pr, (pr) => pr.url)
        })),
        freshness
      ),
    { concurrency: "unbounded" }
  )
  const found = new Map(answers.flatMap((answer) => [...answer]))
  return new Map(sessions.map((session) => [session.id, found.get(session.id) ?? recordedPullRequest(session)] as const))
})

/**
 * The issue of every session that has one, keyed by session id: one batched
 * Tracker call per project with an issue tracker; Absent where no tracker can say.
 */
export const issueLookups = Effect.fn("Lookups.issues")(function* (
  projects: ReadonlyArray<Project>,
  sessions: ReadonlyArray<Session>
) {
  const tracker = yield* Tracker
  const perProject = yield* Effect.forEach(
    byProjectWith(issueTrackerRepo, projects, sessions),
    ({ project, sessions: own }) => {
      const withIssue = own.flatMap((session) => Option.toArray(Option.map(session.issueId, (issueId) => ({ session, issueId }))))
      return Effect.map(
        tracker.issues(project, [...new Set(withIssue.map(({ issueId }) => issueId))]),
        (answers) => withIssue.map(({ session, issueId }) => [session.id, answers.get(issueId) ?? Lookup.absent<IssueInfo>()] as const)
      )
    },
    { concurrency: "unbounded" }
  )
  const found = new Map(perProject.flat())
  return new Map(sessions.map((session) => [session.id, found.get(session.id) ?? Lookup.absent<IssueInfo>()] as const))
})

/** The value of a lookup that found one. */
export const foundValue = <A>(lookup: Lookup<A>): Option.Option<A> =>
  lookup._tag === "Found" ? Option.some(lookup.value) : Option.none()

/** What a lookup that could not answer leaves unchecked, and why. */
export const uncheckedBy = (about: LookupSubject, lookup: Lookup<unknown> | undefined): ReadonlyArray<UncheckedLookup> =>
  lookup?._tag === "Unknown" ? [{ about, reason: lookup.reason }] : []

/**
 * Everything that could not be looked up, one warning per project, subject
 * and reason, naming the sessions it concerns: one outage is one line, not fifty.
 */
export const lookupWarnings = (
  entries: ReadonlyArray<{ readonly session: Session; readonly unchecked: ReadonlyArray<UncheckedLookup> }>
): ReadonlyArray<LookupWarning> => {
  const grouped = new Map<string, { readonly warning: Omit<LookupWarning, "sessions">; readonly sessions: Array<string> }>()
  for (const { session, unchecked } of entries) {
    for (const { about, reason } of unchecked) {
      const key = JSON.stringify([session.projectId, about, reason])
      const group = grouped.get(key) ?? { warning: { about, projectId: session.projectId, reason }, sessions: [] }
      group.sessions.push(session.id)
      grouped.set(key, group)
    }
  }
  return [...grouped.values()].map(({ sessions, warning }) => ({ ...warning, sessions }))
}
