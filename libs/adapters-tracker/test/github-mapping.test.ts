import { trackerContractProject } from "@ao/adapters-memory/contracts/tracker"
import { Scm, Tracker } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { GitHubClient, type GraphqlAnswer } from "../src/github-client"
import { GitHubForbidden } from "../src/github-failure"
import { GitHubScmLive } from "../src/github-scm"
import { GitHubTrackerLive } from "../src/github-tracker"
import { PullRequestCacheLive } from "../src/pull-request-cache"

/**
 * The mapping with only the client replaced: answers GitHub gives that the
 * emulator has no reason to (partial errors, odd shapes, a 403 that is not a
 * rate limit) must still never read as a verdict.
 */
const project = trackerContractProject()

const answering = (answer: (query: string) => Effect.Effect<GraphqlAnswer, GitHubForbidden>) => {
  const client = Layer.succeed(
    GitHubClient,
    GitHubClient.of({
      authenticated: Effect.succeed(true),
      graphql: answer,
      get: () => Effect.die("REST is not used with a token"),
      put: () => Effect.die("nothing is written")
    })
  )
  return Layer.merge(GitHubTrackerLive, GitHubScmLive).pipe(
    Layer.provide(Layer.merge(client, PullRequestCacheLive({ dir: "/nonexistent", ttl: 0, missTtl: 0 })))
  )
}

describe("GitHub mapping", () => {
  it.effect("an item GitHub could not resolve for another reason is Unknown with GitHub's words", () =>
    Effect.gen(function* () {
      const issues = yield* (yield* Tracker).issues(project, ["1", "2"])
      expect(issues.get("1")).toEqual({ _tag: "Absent" })
      expect(issues.get("2")).toEqual({
        _tag: "Unknown",
        reason: "GitHub could not answer for acme/widgets: Resource protected by organization SAML enforcement."
      })
    }).pipe(
      Effect.provide(
        answering(() =>
          Effect.succeed({
            data: { r0: { f0: null, f1: null } },
            errors: [
              { type: "NOT_FOUND", path: ["r0", "f0"], message: "Could not resolve to an Issue with the number of 1." },
              { type: "FORBIDDEN", path: ["r0", "f1"], message: "Resource protected by organization SAML enforcement." }
            ]
          })
        )
      )
    )
  )

  it.effect("an answer in an unexpected shape is Unknown, not merged", () =>
    Effect.gen(function* () {
      const prs = yield* (yield* Scm).pullRequests(project, [{ sessionId: "s", branch: "b", url: Option.none() }], "fresh")
      const lookup = prs.get("s")
      expect(lookup?._tag).toBe("Unknown")
      expect(lookup?._tag === "Unknown" ? lookup.reason : "").toMatch(/^GitHub answered in an unexpected shape/)
    }).pipe(
      Effect.provide(
        answering(() => Effect.succeed({ data: { r0: { f0: { nodes: [{ number: 1, url: "u", state: "SQUASHED" }] } } }, errors: [] }))
      )
    )
  )

  it.effect("a 403 that is not a rate limit says what GitHub refused", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip((yield* Tracker).issue(project, "1"))
      expect(error.message).toBe("GitHub unavailable: GitHub refused access to acme/widgets (403: Resource not accessible by integration)")
    }).pipe(
      Effect.provide(
        answering(() => Effect.fail(new GitHubForbidden({ detail: "Resource not accessible by integration", cause: null })))
      )
    )
  )

  it.effect("aliases every lookup under one repository field in one query", () => {
    const queries: Array<string> = []
    return Effect.gen(function* () {
      yield* (yield* Tracker).issues(project, ["7", "8"])
      expect(queries).toHaveLength(1)
      expect(queries[0]?.match(/repository\(/g)).toHaveLength(1)
      expect(queries[0]).toContain('repository(owner: "acme", name: "widgets")')
      expect(queries[0]).toContain("f0: issue(number: 7)")
      expect(queries[0]).toContain("f1: issue(number: 8)")
    }).pipe(
      Effect.provide(
        answering((query) => {
          queries.push(query)
          return Effect.succeed({ data: { r0: { f0: null, f1: null } }, errors: [] })
        })
      )
    )
  })
})
