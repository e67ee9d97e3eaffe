import {
  type Freshness,
  IssueNotFound,
  type IssueComment,
  type IssueDetails,
  type IssueInfo,
  Lookup,
  type Project,
  PullRequest,
  type PullRequestState,
  Scm,
  Tracker,
  TrackerUnavailable
} from "@ao/domain"
import { Context, Effect, Layer, Option, Ref } from "effect"

export interface IssueSeed {
  readonly id: string
  readonly title: string
  readonly state?: IssueInfo["state"]
  readonly stateReason?: IssueInfo["stateReason"]
  readonly body?: string
  readonly labels?: ReadonlyArray<string>
  /** Oldest first. */
  readonly comments?: ReadonlyArray<IssueComment>
}

export interface PullRequestSeed {
  /** The head branch the PR is discovered from. */
  readonly branch: string
  readonly number: number
  readonly state: PullRequestState
}

/** How many times each port method was called, and with which freshness. */
export interface TrackerCalls {
  readonly issue: number
  readonly issues: number
  readonly pullRequests: number
  readonly freshness: ReadonlyArray<Freshness>
}

/** Drives the in-memory tracker and code host from a test. */
export class MemoryTrackerControl extends Context.Tag("@ao/adapters-memory/MemoryTrackerControl")<
  MemoryTrackerControl,
  {
    readonly setIssue: (issue: IssueSeed) => Effect.Effect<void>
    readonly removeIssue: (id: string) => Effect.Effect<void>
    /** Adds or replaces the PR of `branch`. */
    readonly setPullRequest: (pr: PullRequestSeed) => Effect.Effect<void>
    /** Every lookup answers Unknown with `reason` (an outage, a rate limit); `null` ends it. */
    readonly setUnavailable: (reason: string | null) => Effect.Effect<void>
    /** Only lookups of this issue answer Unknown with `reason`; `null` ends it. */
    readonly setIssueUnavailable: (id: string, reason: string | null) => Effect.Effect<void>
    /** Only lookups of this branch's PR answer Unknown with `reason`; `null` ends it. */
    readonly setPullRequestUnavailable: (branch: string, reason: string | null) => Effect.Effect<void>
    readonly calls: Effect.Effect<TrackerCalls>
  }
>() {}

interface State {
  readonly issues: ReadonlyMap<string, IssueSeed>
  readonly pullRequests: ReadonlyMap<string, PullRequestSeed>
  readonly outage: string | null
  readonly issueOutages: ReadonlyMap<string, string>
  readonly pullRequestOutages: ReadonlyMap<string, string>
  readonly calls: TrackerCalls
}

const initialState: State = {
  issues: new Map(),
  pullRequests: new Map(),
  outage: null,
  issueOutages: new Map(),
  pullRequestOutages: new Map(),
  calls: { issue: 0, issues: 0, pullRequests: 0, freshness: [] }
}

/** The repository named in URLs and messages; a project without one gets a stand-in. */
const repositoryOf = (project: Project): string => Option.getOrElse(project.repo, () => `memory/${project.id}`)

/** As on the real adapter: issues with `tracker: github` and a repository, PRs with `scm: github` and one. */
const tracksIssues = (project: Project): boolean => project.tracker === "github" && Option.isSome(project.repo)
const hostsPullRequests = (project: Project): boolean => project.scm === "github" && Option.isSome(project.repo)

export const memoryPullRequestUrl = (project: Project, number: number): string =>
  `https://github.com/${repositoryOf(project)}/pull/${number}`

const withEntry = <V>(map: ReadonlyMap<string, V>, key: string, value: V | null): ReadonlyMap<string, V> => {
  const next = new Map(map)
  if (value === null) next.delete(key)
  else next.set(key, value)
  return next
}

const toIssueInfo = (project: Project, seed: IssueSeed): IssueInfo => ({
  id: seed.id,
  title: seed.title,
  url: `https://github.com/${repositoryOf(project)}/issues/${seed.id}`,
  state: seed.state ?? "open",
  stateReason: seed.state === "closed" ? (seed.stateReason ?? "completed") : null
})

const toIssueDetails = (project: Project, seed: IssueSeed, comments: number): IssueDetails => ({
  ...toIssueInfo(project, seed),
  body: seed.body ?? "",
  labels: seed.labels ?? [],
  comments: comments <= 0 ? [] : (seed.comments ?? []).slice(-comments)
})

const toPullRequest = (project: Project, seed: PullRequestSeed): PullRequest =>
  new PullRequest({ url: memoryPullRequestUrl(project, seed.number), number: seed.number, state: seed.state })

const issueLookup = (state: State, project: Project, id: string): Lookup<IssueInfo> => {
  if (!tracksIssues(project)) return Lookup.absent()
  const outage = state.outage ?? state.issueOutages.get(id)
  if (outage !== undefined) return Lookup.unknown(outage)
  const seed = state.issues.get(id)
  return seed === undefined ? Lookup.absent() : Lookup.found(toIssueInfo(project, seed))
}

const pullRequestLookup = (
  state: State,
  project: Project,
  query: { readonly branch: string; readonly url: Option.Option<string> }
): Lookup<PullRequest> => {
  if (!hostsPullRequests(project)) return Lookup.absent()
  const outage = state.outage ?? state.pullRequestOutages.get(query.branch)
  if (outage !== undefined) return Lookup.unknown(outage)
  const seeds = [...state.pullRequests.values()]
  // A recorded URL names the PR; only a session without one discovers it from its branch.
  const seed = Option.match(query.url, {
    onNone: () => state.pullRequests.get(query.branch),
    onSome: (url) => seeds.find((candidate) => memoryPullRequestUrl(project, candidate.number) === url)
  })
  return seed === undefined ? Lookup.absent() : Lookup.found(toPullRequest(project, seed))
}

/**
 * Tracker and Scm in memory: issues and PRs seeded through MemoryTrackerControl,
 * with the real adapter's semantics (missing issue → IssueNotFound naming the
 * repository; an outage → Unknown, never a verdict). Unlike GitHub Issues,
 * whose ids are numbers, it tracks ids of any form, as Linear or Jira would.
 */
export const makeMemoryTracker = Effect.gen(function* () {
  const state = yield* Ref.make(initialState)
  const count = (method: "issue" | "issues" | "pullRequests", freshness?: Freshness) =>
    Ref.update(state, (current) => ({
      ...current,
      calls: {
        ...current.calls,
        [method]: current.calls[method] + 1,
        freshness: freshness === undefined ? current.calls.freshness : [...current.calls.freshness, freshness]
      }
    }))

  const tracker = Tracker.of({
    issue: Effect.fn("MemoryTracker.issue")(function* (project, issueId) {
      yield* count("issue")
      if (!tracksIssues(project)) return Option.none()
      const lookup = issueLookup(yield* Ref.get(state), project, issueId)
      switch (lookup._tag) {
        case "Found":
          return Option.some(lookup.value)
        case "Absent":
          return yield* new IssueNotFound({ repo: repositoryOf(project), issueId })
        case "Unknown":
          return yield* new TrackerUnavailable({ service: "GitHub", reason: lookup.reason })
      }
    }),
    issueDetails: Effect.fn("MemoryTracker.issueDetails")(function* (project, issueId, options) {
      yield* count("issue")
      if (!tracksIssues(project)) return Option.none()
      const current = yield* Ref.get(state)
      const lookup = issueLookup(current, project, issueId)
      switch (lookup._tag) {
        case "Found":
          return Option.some(toIssueDetails(project, current.issues.get(issueId) ?? { id: issueId, title: lookup.value.title }, options.comments))
        case "Absent":
          return yield* new IssueNotFound({ repo: repositoryOf(project), issueId })
        case "Unknown":
          return yield* new TrackerUnavailable({ service: "GitHub", reason: lookup.reason })
      }
    }),
    issues: Effect.fn("MemoryTracker.issues")(function* (project, issueIds) {
      yield* count("issues")
      const current = yield* Ref.get(state)
      return new Map(issueIds.map((id) => [id, issueLookup(current, project, id)] as const))
    }),
    checkAccess: Effect.fn("MemoryTracker.checkAccess")(function* (project) {
      const { outage } = yield* Ref.get(state)
      // Nothing to reach for a project without GitHub.
      if (outage !== null && (tracksIssues(project) || hostsPullRequests(project))) {
        return yield* new TrackerUnavailable({ service: "GitHub", reason: outage })
      }
    })
  })

  const scm = Scm.of({
    pullRequests: Effect.fn("MemoryScm.pullRequests")(function* (project, queries, freshness) {
      yield* count("pullRequests", freshness)
      const current = yield* Ref.get(state)
      return new Map(queries.map((query) => [query.sessionId, pullRequestLookup(current, project, query)] as const))
    })
  })

  const control = MemoryTrackerControl.of({
    setIssue: (issue) => Ref.update(state, (current) => ({ ...current, issues: withEntry(current.issues, issue.id, issue) })),
    removeIssue: (id) => Ref.update(state, (current) => ({ ...current, issues: withEntry(current.issues, id, null) })),
    setPullRequest: (pr) =>
      Ref.update(state, (current) => ({ ...current, pullRequests: withEntry(current.pullRequests, pr.branch, pr) })),
    setUnavailable: (reason) => Ref.update(state, (current) => ({ ...current, outage: reason })),
    setIssueUnavailable: (id, reason) =>
      Ref.update(state, (current) => ({ ...current, issueOutages: withEntry(current.issueOutages, id, reason) })),
    setPullRequestUnavailable: (branch, reason) =>
      Ref.update(state, (current) => ({
        ...current,
        pullRequestOutages: withEntry(current.pullRequestOutages, branch, reason)
      })),
    calls: Effect.map(Ref.get(state), (current) => current.calls)
  })

  return { tracker, scm, control }
})

/** Tracker + Scm in memory, with MemoryTrackerControl to seed and break them. */
export const MemoryTrackerLive: Layer.Layer<Tracker | Scm | MemoryTrackerControl> = Layer.effectContext(
  Effect.map(makeMemoryTracker, ({ control, scm, tracker }) =>
    Context.make(Tracker, tracker).pipe(Context.add(Scm, scm), Context.add(MemoryTrackerControl, control))
  )
)
