import { describe, expect, it } from "@effect/vitest"
import {
  type Lookup,
  type Project,
  type PullRequest,
  type PullRequestQuery,
  RepoSlug,
  Scm,
  Tracker
} from "@ao/domain"
import { Effect, type Layer, Option, type Scope } from "effect"
import type { IssueSeed, PullRequestSeed } from "../tracker"
import { aProject } from "./agent-launcher"

/** A way the service can break; none of them may ever read as merged or closed. */
export type TrackerFailure =
  | { readonly _tag: "RateLimited"; readonly resetAt: Date }
  | { readonly _tag: "Unauthorized" }
  | { readonly _tag: "RepositoryNotFound" }
  | { readonly _tag: "ServerError" }
  | { readonly _tag: "Slow" }

/** A fresh tracker with nothing in it, and the means to seed and break it. */
export interface TrackerFixture {
  readonly project: Project
  readonly layer: Layer.Layer<Tracker | Scm>
  readonly seedIssue: (issue: IssueSeed) => Effect.Effect<void>
  /** Returns the PR's URL, as it would be recorded on a session. */
  readonly seedPullRequest: (pr: PullRequestSeed) => Effect.Effect<string>
  readonly fail: (failure: TrackerFailure) => Effect.Effect<void>
  /** Adapters that speak HTTP: the requests served so far, and the token they were given. */
  readonly http?: { readonly requests: Effect.Effect<number>; readonly token: string }
}

export const CONTRACT_REPO = RepoSlug.make("acme/widgets")

export const trackerContractProject = (): Project =>
  aProject({ repo: Option.some(CONTRACT_REPO), tracker: "github", scm: "github" })

/** How each failure must be explained, so a user can tell what happened and when to retry. */
const explains = (failure: TrackerFailure): RegExp => {
  switch (failure._tag) {
    case "RateLimited": {
      const resetAt = failure.resetAt.toISOString().slice(11, 16)
      return new RegExp(`rate limit.*${resetAt} UTC`, "i")
    }
    case "Unauthorized":
      return /401|token/i
    case "RepositoryNotFound":
      return new RegExp(CONTRACT_REPO)
    case "ServerError":
      return /500/
    case "Slow":
      return /did not answer|timed out/i
  }
}

const failures: ReadonlyArray<TrackerFailure> = [
  { _tag: "RateLimited", resetAt: new Date("2030-01-01T23:59:00Z") },
  { _tag: "Unauthorized" },
  { _tag: "RepositoryNotFound" },
  { _tag: "ServerError" },
  { _tag: "Slow" }
]

const byBranch = (sessionId: string, branch: string): PullRequestQuery => ({ sessionId, branch, url: Option.none() })

const sessions = (count: number) => Array.from({ length: count }, (_, index) => index + 1)

const valueOf = <A>(lookup: Lookup<A> | undefined): A => {
  if (lookup?._tag !== "Found") throw new Error(`expected Found, got ${JSON.stringify(lookup)}`)
  return lookup.value
}

/** What every Tracker + Scm must do; the fixture factory builds a fresh one per test. */
export const trackerContract = (
  name: string,
  makeFixture: Effect.Effect<TrackerFixture, never, Scope.Scope>,
  options: {
    readonly overHttp: boolean
    /** An id of a form the tracker does not track (GitHub Issues: `INT-1234`), when there is such a form. */
    readonly untrackedIssueId?: string
  }
) =>
  describe(`Tracker + Scm contract: ${name}`, () => {
    /** Runs `body` against a fresh fixture with the adapter provided. */
    const withFixture = <A, E>(body: (fixture: TrackerFixture) => Effect.Effect<A, E, Tracker | Scm>) =>
      Effect.flatMap(makeFixture, (fixture) => Effect.provide(body(fixture), fixture.layer))

    it.scopedLive("looks up an issue's title, URL and state", () =>
      withFixture((fixture) =>
        Effect.gen(function* () {
          yield* fixture.seedIssue({ id: "42", title: "Fix the errors" })
          const issue = Option.getOrThrow(yield* (yield* Tracker).issue(fixture.project, "42"))
          expect(issue).toMatchObject({ id: "42", title: "Fix the errors", state: "open", stateReason: null })
          expect(issue.url).toContain(`${CONTRACT_REPO}/issues/42`)
          yield* (yield* Tracker).checkAccess(fixture.project)
        })
      )
    )

    it.scopedLive("reads an issue's text for the prompt: body, labels and the latest comments up to the limit, oldest first", () =>
      withFixture((fixture) =>
        Effect.gen(function* () {
          const comments = Array.from({ length: 7 }, (_, index) => ({
            author: `user${index + 1}`,
            body: `comment ${index + 1}`,
            createdAt: `2026-01-0${index + 1}T00:00:00Z`
          }))
          const body = "Steps:\n1. `$(rm -rf ~)`\n2. {{branch}}"
          yield* fixture.seedIssue({ id: "42", title: "Fix the errors", body, labels: ["bug", "p1"], comments })
          yield* fixture.seedIssue({ id: "43", title: "Quiet one" })
          const tracker = yield* Tracker
          const issue = Option.getOrThrow(yield* tracker.issueDetails(fixture.project, "42", { comments: 3 }))
          expect(issue).toMatchObject({ id: "42", title: "Fix the errors", state: "open", body, labels: ["bug", "p1"] })
          expect(issue.url).toContain(`${CONTRACT_REPO}/issues/42`)
          expect(issue.comments.map((comment) => [comment.author, comment.body])).toEqual([
            ["user5", "comment 5"],
            ["user6", "comment 6"],
            ["user7", "comment 7"]
          ])
          expect((yield* tracker.issueDetails(fixture.project, "42", { comments: 0 })).pipe(Option.getOrThrow).comments).toEqual([])
          expect(Option.getOrThrow(yield* tracker.issueDetails(fixture.project, "43", { comments: 10 }))).toMatchObject({
            body: "",
            labels: [],
            comments: []
          })
          expect((yield* Effect.flip(tracker.issueDetails(fixture.project, "404", { comments: 10 })))._tag).toBe("IssueNotFound")
        })
      )
    )

    it.scopedLive("a missing issue is IssueNotFound naming the repository", () =>
      withFixture((fixture) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip((yield* Tracker).issue(fixture.project, "404"))
          expect(error._tag).toBe("IssueNotFound")
          expect(error.message).toContain(CONTRACT_REPO)
          expect(error.message).toContain("404")
        })
      )
    )

    it.scopedLive("looks up many issues at once: open, completed, not planned, absent", () =>
      withFixture((fixture) =>
        Effect.gen(function* () {
          yield* fixture.seedIssue({ id: "1", title: "Open one" })
          yield* fixture.seedIssue({ id: "2", title: "Done one", state: "closed", stateReason: "completed" })
          yield* fixture.seedIssue({ id: "3", title: "Dropped one", state: "closed", stateReason: "not_planned" })
          const found = yield* (yield* Tracker).issues(fixture.project, ["1", "2", "3", "4"])
          expect(found.size).toBe(4)
          expect(valueOf(found.get("1"))).toMatchObject({ state: "open", stateReason: null, title: "Open one" })
          expect(valueOf(found.get("2"))).toMatchObject({ state: "closed", stateReason: "completed" })
          expect(valueOf(found.get("3"))).toMatchObject({ state: "closed", stateReason: "not_planned" })
          expect(found.get("4")).toEqual({ _tag: "Absent" })
        })
      )
    )

    it.scopedLive("discovers PRs from branches: merged, closed, open, absent", () =>
      withFixture((fixture) =>
        Effect.gen(function* () {
          const mergedUrl = yield* fixture.seedPullRequest({ branch: "1-merged", number: 11, state: "merged" })
          yield* fixture.seedPullRequest({ branch: "2-closed", number: 12, state: "closed" })
          yield* fixture.seedPullRequest({ branch: "3-open", number: 13, state: "open" })
          const found = yield* (yield* Scm).pullRequests(
            fixture.project,
            [byBranch("s1", "1-merged"), byBranch("s2", "2-closed"), byBranch("s3", "3-open"), byBranch("s4", "4-none")],
            "fresh"
          )
          const merged: PullRequest = valueOf(found.get("s1"))
          expect({ ...merged }).toEqual({ url: mergedUrl, number: 11, state: "merged" })
          expect(valueOf(found.get("s2")).state).toBe("closed")
          expect(valueOf(found.get("s3"))).toMatchObject({ number: 13, state: "open" })
          expect(found.get("s4")).toEqual({ _tag: "Absent" })
        })
      )
    )

    it.scopedLive("a recorded PR URL wins over the branch", () =>
      withFixture((fixture) =>
        Effect.gen(function* () {
          yield* fixture.seedPullRequest({ branch: "feature", number: 7, state: "open" })
          const recorded = yield* fixture.seedPullRequest({ branch: "renamed-since", number: 8, state: "merged" })
          const found = yield* (yield* Scm).pullRequests(
            fixture.project,
            [{ sessionId: "s1", branch: "feature", url: Option.some(recorded) }, byBranch("s2", "feature")],
            "fresh"
          )
          expect(valueOf(found.get("s1"))).toMatchObject({ number: 8, state: "merged", url: recorded })
          expect(valueOf(found.get("s2"))).toMatchObject({ number: 7, state: "open" })
        })
      )
    )

    it.scopedLive("a project without GitHub (both off, or no repo) has no issues and no PRs, and asks nothing", () =>
      withFixture((fixture) =>
        Effect.gen(function* () {
          yield* fixture.seedIssue({ id: "1", title: "Closed", state: "closed" })
          yield* fixture.seedPullRequest({ branch: "1-closed", number: 1, state: "merged" })
          const before = fixture.http === undefined ? 0 : yield* fixture.http.requests
          for (const project of [
            aProject({ repo: Option.some(CONTRACT_REPO), tracker: "none", scm: "none" }),
            aProject({ repo: Option.none(), tracker: "github", scm: "github" })
          ]) {
            expect((yield* (yield* Tracker).issues(project, ["1"])).get("1")).toEqual({ _tag: "Absent" })
            const prs = yield* (yield* Scm).pullRequests(project, [byBranch("s1", "1-closed")], "fresh")
            expect(prs.get("s1")).toEqual({ _tag: "Absent" })
            expect(yield* (yield* Tracker).issue(project, "1")).toEqual(Option.none())
            yield* (yield* Tracker).checkAccess(project)
          }
          if (fixture.http !== undefined) expect((yield* fixture.http.requests) - before).toBe(0)
        })
      )
    )

    it.scopedLive("the code host and the issue tracker are configured apart", () =>
      withFixture((fixture) =>
        Effect.gen(function* () {
          yield* fixture.seedIssue({ id: "1", title: "Closed", state: "closed" })
          yield* fixture.seedPullRequest({ branch: "1-closed", number: 1, state: "open" })
          const prsOnly = aProject({ repo: Option.some(CONTRACT_REPO), tracker: "none", scm: "github" })
          const prs = yield* (yield* Scm).pullRequests(prsOnly, [byBranch("s1", "1-closed")], "fresh")
          expect(valueOf(prs.get("s1"))).toMatchObject({ number: 1, state: "open" })
          expect((yield* (yield* Tracker).issues(prsOnly, ["1"])).get("1")).toEqual({ _tag: "Absent" })
          expect(yield* (yield* Tracker).issue(prsOnly, "1")).toEqual(Option.none())

          const issuesOnly = aProject({ repo: Option.some(CONTRACT_REPO), tracker: "github", scm: "none" })
          expect((yield* (yield* Scm).pullRequests(issuesOnly, [byBranch("s1", "1-closed")], "fresh")).get("s1")).toEqual({
            _tag: "Absent"
          })
          expect(valueOf((yield* (yield* Tracker).issues(issuesOnly, ["1"])).get("1")).state).toBe("closed")
        })
      )
    )

    if (options.untrackedIssueId !== undefined) {
      const untracked = options.untrackedIssueId
      it.scopedLive(`an id the tracker does not track (${untracked}) is no issue, not a missing one`, () =>
        withFixture((fixture) =>
          Effect.gen(function* () {
            expect(yield* (yield* Tracker).issue(fixture.project, untracked)).toEqual(Option.none())
            expect((yield* (yield* Tracker).issues(fixture.project, [untracked])).get(untracked)).toEqual({ _tag: "Absent" })
          })
        )
      )
    }

    describe("failure is never a verdict", () => {
      for (const failure of failures) {
        it.scopedLive(`${failure._tag}: every lookup is Unknown and every check fails, with the reason`, () =>
          withFixture((fixture) =>
            Effect.gen(function* () {
              yield* fixture.seedIssue({ id: "1", title: "Closed", state: "closed" })
              yield* fixture.seedPullRequest({ branch: "1-closed", number: 1, state: "merged" })
              yield* fixture.fail(failure)
              const issues = yield* (yield* Tracker).issues(fixture.project, ["1"])
              const prs = yield* (yield* Scm).pullRequests(fixture.project, [byBranch("s1", "1-closed")], "fresh")
              for (const lookup of [issues.get("1"), prs.get("s1")]) {
                expect(lookup?._tag).toBe("Unknown")
                expect(lookup?._tag === "Unknown" ? lookup.reason : "").toMatch(explains(failure))
              }
              const errors = [
                yield* Effect.flip((yield* Tracker).issue(fixture.project, "1")),
                yield* Effect.flip((yield* Tracker).checkAccess(fixture.project))
              ]
              for (const error of errors) {
                expect(error._tag).toBe("TrackerUnavailable")
                expect(error.message).toMatch(explains(failure))
                if (fixture.http !== undefined) {
                  expect(error.message).not.toContain(fixture.http.token)
                  expect(JSON.stringify(error)).not.toContain(fixture.http.token)
                }
              }
            })
          )
        )
      }
    })

    // Only an adapter that talks HTTP has requests to count; the in-memory one registers no such test.
    if (options.overHttp) {
      it.scopedLive("50 sessions cost at most 2 HTTP requests", () =>
        withFixture((fixture) =>
          Effect.gen(function* () {
            if (fixture.http === undefined) return expect.fail("an adapter over HTTP must count its requests")
            for (const n of sessions(50)) {
              yield* fixture.seedIssue({ id: String(n), title: `Issue ${n}`, state: n % 2 === 0 ? "closed" : "open" })
              yield* fixture.seedPullRequest({ branch: `${n}-work`, number: 100 + n, state: n % 3 === 0 ? "merged" : "open" })
            }
            const before = yield* fixture.http.requests
            const issues = yield* (yield* Tracker).issues(fixture.project, sessions(50).map(String))
            const prs = yield* (yield* Scm).pullRequests(
              fixture.project,
              sessions(50).map((n) => byBranch(`s${n}`, `${n}-work`)),
              "fresh"
            )
            expect((yield* fixture.http.requests) - before).toBeLessThanOrEqual(2)
            expect(valueOf(issues.get("50")).state).toBe("closed")
            expect(valueOf(prs.get("s48"))).toMatchObject({ number: 148, state: "merged" })
            expect([...issues.values(), ...prs.values()].every((lookup) => lookup._tag === "Found")).toBe(true)
          })
        )
      )
    }
  })
