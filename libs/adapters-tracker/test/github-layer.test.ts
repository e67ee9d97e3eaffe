import { chmod, writeFile } from "node:fs/promises"
import { createServer, type AddressInfo } from "node:net"
import { join } from "node:path"
import { CONTRACT_REPO, trackerContractProject } from "@ao/adapters-memory/contracts/tracker"
import { type Lookup, type PullRequestQuery, RepoSlug, Scm, Tracker } from "@ao/domain"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { type GitHubLayerOptions, makeGitHubLayer } from "../src/index"
import { NEEDS_TOKEN } from "../src/rest-fallback"
import { type EmulatorProcess, startEmulatorProcess } from "./emulator-process"
import { temporaryDirectory } from "./temporary-directory"

const TOKEN = "ghp_layerSecretToken0123456789"
const project = trackerContractProject()

let emulator: EmulatorProcess
beforeAll(async () => {
  emulator = await startEmulatorProcess({ token: TOKEN })
})
afterAll(() => emulator?.stop())
beforeEach(() => emulator.reset())

const seed = (effect: () => Promise<unknown>) => Effect.asVoid(Effect.promise(effect))
const served = Effect.promise(() => emulator.requests())
const byBranch = (sessionId: string, branch: string): PullRequestQuery => ({ sessionId, branch, url: Option.none() })
const tagsOf = <A>(lookups: ReadonlyMap<string, Lookup<A>>) => [...lookups.values()].map((lookup) => lookup._tag)

/** Runs `body` with the GitHub layer over the emulator (GITHUB_API_URL unless `options` say otherwise) and a fresh cache. */
const withGitHub = <A, E>(body: Effect.Effect<A, E, Tracker | Scm>, options: Partial<GitHubLayerOptions> = {}) =>
  Effect.flatMap(temporaryDirectory, (cacheDir) =>
    Effect.provide(
      body,
      makeGitHubLayer({
        env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: emulator.url },
        ghCommand: null,
        cacheDir,
        timeout: "5 seconds",
        backoff: "10 millis",
        ...options
      })
    )
  )

describe("GitHub layer", () => {
  it.scopedLive("without a token, reads public repositories over REST, a bounded number per call", () =>
    withGitHub(
      Effect.gen(function* () {
        for (let number = 1; number <= 12; number++) {
          yield* seed(() => emulator.setIssue(CONTRACT_REPO, { number, title: `Issue ${number}`, state: number === 1 ? "closed" : "open" }))
        }
        const merged = yield* Effect.promise(() => emulator.setPullRequest(CONTRACT_REPO, { number: 20, head: "a", state: "merged" }))
        yield* seed(() => emulator.setPullRequest(CONTRACT_REPO, { number: 21, head: "b", state: "closed" }))
        yield* seed(() => emulator.setPullRequest(CONTRACT_REPO, { number: 22, head: "b", state: "open" }))

        const issues = yield* (yield* Tracker).issues(project, Array.from({ length: 12 }, (_, index) => String(index + 1)))
        expect(issues.get("1")).toMatchObject({ _tag: "Found", value: { state: "closed", stateReason: "completed" } })
        expect(tagsOf(issues).filter((tag) => tag === "Found")).toHaveLength(10)
        expect(issues.get("12")).toEqual({ _tag: "Unknown", reason: NEEDS_TOKEN })

        const prs = yield* (yield* Scm).pullRequests(
          project,
          [{ sessionId: "s1", branch: "renamed", url: Option.some(merged) }, byBranch("s2", "b"), byBranch("s3", "none")],
          "fresh"
        )
        expect(prs.get("s1")).toMatchObject({ _tag: "Found", value: { number: 20, state: "merged" } })
        expect(prs.get("s2")).toMatchObject({ _tag: "Found", value: { number: 22, state: "open" } })
        expect(prs.get("s3")).toEqual({ _tag: "Absent" })

        const requests = (yield* served).requests
        expect(requests).toHaveLength(13)
        expect(requests.some((request) => request.path === "/graphql")).toBe(false)
      }),
      { apiUrl: emulator.url, env: {} }
    )
  )

  describe("token", () => {
    const findsIssue = Effect.gen(function* () {
      yield* seed(() => emulator.setIssue(CONTRACT_REPO, { number: 1, title: "One" }))
      expect(Option.getOrThrow(yield* (yield* Tracker).issue(project, "1")).title).toBe("One")
      expect((yield* served).requests.map((request) => request.path)).toEqual(["/graphql"])
    })

    it.scopedLive("GITHUB_TOKEN comes before GH_TOKEN", () => withGitHub(findsIssue, { apiUrl: emulator.url, env: { GITHUB_TOKEN: TOKEN, GH_TOKEN: "wrong" } }))

    it.scopedLive("GH_TOKEN is used without GITHUB_TOKEN", () => withGitHub(findsIssue, { apiUrl: emulator.url, env: { GH_TOKEN: TOKEN } }))

    it.scopedLive("a logged-in gh is asked last, for the API's host", () =>
      Effect.gen(function* () {
        const dir = yield* temporaryDirectory
        const gh = join(dir, "gh")
        const host = new URL(emulator.url).host
        yield* Effect.promise(async () => {
          await writeFile(gh, `#!/bin/sh\n[ "$*" = "auth token --hostname ${host}" ] && echo ${TOKEN}\n`)
          await chmod(gh, 0o755)
        })
        yield* withGitHub(findsIssue, { apiUrl: emulator.url, env: {}, ghCommand: gh })
      })
    )

    it.scopedLive("the configured apiUrl comes before GITHUB_API_URL", () =>
      withGitHub(findsIssue, { apiUrl: emulator.url, env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: "http://127.0.0.1:9" } })
    )
  })

  it.scopedLive("retries a 5xx that passes, and explains one that does not", () =>
    withGitHub(
      Effect.gen(function* () {
        yield* seed(() => emulator.setIssue(CONTRACT_REPO, { number: 1, title: "One" }))
        yield* seed(() => emulator.fail({ kind: "server-error", status: 502, times: 2 }))
        expect((yield* (yield* Tracker).issues(project, ["1"])).get("1")?._tag).toBe("Found")
        expect((yield* served).requests.map((request) => request.status)).toEqual([502, 502, 200])

        yield* seed(() => emulator.fail({ kind: "server-error", status: 502 }))
        const failed = yield* (yield* Tracker).issues(project, ["1"])
        expect(failed.get("1")).toEqual({ _tag: "Unknown", reason: "GitHub returned 502 after 3 attempts" })
        expect((yield* served).count).toBe(6)
      })
    )
  )

  it.scopedLive("a server that cannot be reached is retried, then explained", () =>
    Effect.gen(function* () {
      const closedPort = yield* Effect.promise(
        () =>
          new Promise<number>((resolve) => {
            const server = createServer().listen(0, "127.0.0.1", () => {
              const { port } = server.address() as AddressInfo
              server.close(() => resolve(port))
            })
          })
      )
      const apiUrl = `http://127.0.0.1:${closedPort}`
      const issues = yield* withGitHub(
        Effect.flatMap(Tracker, (tracker) => tracker.issues(project, ["1"])),
        { apiUrl }
      )
      const lookup = issues.get("1")
      expect(lookup?._tag).toBe("Unknown")
      expect(lookup?._tag === "Unknown" ? lookup.reason : "").toMatch(`could not reach GitHub at ${apiUrl} after 3 attempts`)
    })
  )

  it.scopedLive("a secondary rate limit says how long to wait, and is not retried", () =>
    withGitHub(
      Effect.gen(function* () {
        yield* seed(() => emulator.fail({ kind: "secondary-rate-limited", retryAfterSeconds: 60 }))
        const issues = yield* (yield* Tracker).issues(project, ["1"])
        expect(issues.get("1")).toEqual({ _tag: "Unknown", reason: "GitHub rate limit exceeded; try again in 1m" })
        expect((yield* served).count).toBe(1)
      })
    )
  )

  it.scoped("cached reads reuse answers for the TTL; fresh reads and Unknown answers never do", () =>
    withGitHub(
      Effect.gen(function* () {
        const scm = yield* Scm
        yield* seed(() => emulator.setPullRequest(CONTRACT_REPO, { number: 5, head: "feature", state: "open" }))
        const query = [byBranch("s1", "feature")]
        expect((yield* scm.pullRequests(project, query, "cached")).get("s1")).toMatchObject({ value: { state: "open" } })
        yield* seed(() => emulator.setPullRequest(CONTRACT_REPO, { number: 5, head: "feature", state: "merged" }))
        expect((yield* scm.pullRequests(project, query, "cached")).get("s1")).toMatchObject({ value: { state: "open" } })
        expect((yield* served).count).toBe(1)

        expect((yield* scm.pullRequests(project, query, "fresh")).get("s1")).toMatchObject({ value: { state: "merged" } })
        expect((yield* served).count).toBe(2)

        yield* TestClock.adjust("61 seconds")
        yield* seed(() => emulator.fail({ kind: "rate-limited", resetAt: "2030-01-01T10:00:00Z" }))
        expect((yield* scm.pullRequests(project, query, "cached")).get("s1")?._tag).toBe("Unknown")
        yield* seed(() => emulator.fail(null))
        expect((yield* scm.pullRequests(project, query, "cached")).get("s1")).toMatchObject({ value: { state: "merged" } })
        expect((yield* served).count).toBe(4)
      })
    )
  )

  it.scopedLive("ids that are not issue numbers are not tracked: no error, and GitHub is asked nothing", () =>
    withGitHub(
      Effect.gen(function* () {
        expect(tagsOf(yield* (yield* Tracker).issues(project, ["INT-1234", "0"]))).toEqual(["Absent", "Absent"])
        expect(yield* (yield* Tracker).issue(project, "INT-1234")).toEqual(Option.none())
        expect((yield* served).count).toBe(0)
      })
    )
  )

  describe("without a token, a repository GitHub will not show is never read as 'no PR' or 'no issue'", () => {
    for (const [what, setUp] of [
      ["a private repository", () => emulator.addRepository(CONTRACT_REPO, { private: true })],
      ["a mistyped repository", () => Promise.resolve()]
    ] as const) {
      it.scopedLive(what, () =>
        withGitHub(
          Effect.gen(function* () {
            yield* seed(setUp)
            const prs = yield* (yield* Scm).pullRequests(
              project,
              [byBranch("s1", "feature"), { sessionId: "s2", branch: "x", url: Option.some(`https://github.com/${CONTRACT_REPO}/pull/3`) }],
              "fresh"
            )
            const issues = yield* (yield* Tracker).issues(project, ["7"])
            for (const lookup of [prs.get("s1"), prs.get("s2"), issues.get("7")]) {
              expect(lookup).toEqual({
                _tag: "Unknown",
                reason: expect.stringMatching(new RegExp(`${CONTRACT_REPO} not found, or it is private and no GitHub token was found`))
              })
            }
          }),
          { apiUrl: emulator.url, env: {} }
        )
      )
    }

    it.scopedLive("while a visible repository's 404 is an answer: no such PR or issue", () =>
      withGitHub(
        Effect.gen(function* () {
          yield* seed(() => emulator.addRepository(CONTRACT_REPO))
          const prs = yield* (yield* Scm).pullRequests(
            project,
            [{ sessionId: "s1", branch: "x", url: Option.some(`https://github.com/${CONTRACT_REPO}/pull/3`) }],
            "fresh"
          )
          expect(prs.get("s1")).toEqual({ _tag: "Absent" })
          expect((yield* (yield* Tracker).issues(project, ["7"])).get("7")).toEqual({ _tag: "Absent" })
        }),
        { apiUrl: emulator.url, env: {} }
      )
    )
  })

  it.scoped("a 'no PR yet' is reused only briefly, so a new PR shows within seconds, not a minute", () =>
    withGitHub(
      Effect.gen(function* () {
        const scm = yield* Scm
        yield* seed(() => emulator.setPullRequest(CONTRACT_REPO, { number: 5, head: "found", state: "open" }))
        yield* seed(() => emulator.addRepository(CONTRACT_REPO))
        const queries = [byBranch("s1", "found"), byBranch("s2", "new")]
        expect(tagsOf(yield* scm.pullRequests(project, queries, "cached"))).toEqual(["Found", "Absent"])
        yield* seed(() => emulator.setPullRequest(CONTRACT_REPO, { number: 6, head: "new", state: "open" }))
        expect(tagsOf(yield* scm.pullRequests(project, queries, "cached"))).toEqual(["Found", "Absent"])
        expect((yield* served).count).toBe(1)

        yield* TestClock.adjust("11 seconds")
        const later = yield* scm.pullRequests(project, queries, "cached")
        expect(later.get("s2")).toMatchObject({ _tag: "Found", value: { number: 6 } })
        expect((yield* served).count).toBe(2)
        // Only the miss was asked again: the found PR was still fresh enough.
        expect((yield* served).requests.at(-1)?.path).toBe("/graphql")
      })
    )
  )

  it.scopedLive("splits past 100 lookups a request: 120 sessions cost 2", () =>
    withGitHub(
      Effect.gen(function* () {
        const other = RepoSlug.make("acme/other")
        yield* seed(() => emulator.setPullRequest(other, { number: 1, head: "elsewhere", state: "merged" }))
        yield* seed(() => emulator.addRepository(CONTRACT_REPO))
        const queries = Array.from({ length: 119 }, (_, index) => byBranch(`s${index}`, `branch-${index}`))
        const prs = yield* (yield* Scm).pullRequests(
          project,
          [...queries, { sessionId: "recorded", branch: "x", url: Option.some(`https://github.com/${other}/pull/1`) }],
          "fresh"
        )
        expect(prs.get("recorded")).toMatchObject({ _tag: "Found", value: { number: 1, state: "merged" } })
        expect(tagsOf(prs).filter((tag) => tag === "Absent")).toHaveLength(119)
        expect((yield* served).count).toBe(2)
      })
    )
  )
})
