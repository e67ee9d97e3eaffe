import { Effect, Option } from "effect"
import { Lookup } from "../ports/lookup"
import { type Freshness, Scm } from "../ports/scm"
import { Tracker, type IssueInfo } from "../ports/tracker"
import type { Project } from "../project"
import type { PullRequest, Session } from "../session"
import { hostedRepo } from "./project-scope"

/** Sessions grouped under their configured project, when it has a repository on the code host. */
const byHostedProject = (projects: ReadonlyArray<Project>, sessions: ReadonlyArray<Session>) =>
  projects.flatMap((project) => {
    const own = sessions.filter((session) => session.projectId === project.id)
    return Option.isSome(hostedRepo(project)) && own.length > 0 ? [{ project, sessions: own }] : []
  })

const recordedPullRequest = (session: Session): Lookup<PullRequest> =>
  Option.match(session.pr, { onNone: () => Lookup.absent(), onSome: (pr) => Lookup.found(pr) })

/**
 * The PR of every session, keyed by session id: one batched Scm call per
 * hosted project; elsewhere what the record says.
 */
export const pullRequestLookups = Effect.fn("Lookups.pullRequests")(function* (
  projects: ReadonlyArray<Project>,
  sessions: ReadonlyArray<Session>,
  freshness: Freshness
) {
  const scm = yield* Scm
  const answers = yield* Effect.forEach(
    byHostedProject(projects, sessions),
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
 * Tracker call per hosted project; Absent where no tracker can say.
 */
export const issueLookups = Effect.fn("Lookups.issues")(function* (
  projects: ReadonlyArray<Project>,
  sessions: ReadonlyArray<Session>
) {
  const tracker = yield* Tracker
  const perProject = yield* Effect.forEach(
    byHostedProject(projects, sessions),
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
