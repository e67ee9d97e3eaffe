import { afterAll, beforeEach, describe, expect, it } from "vitest"
import { type GitHubEmulator, startGitHubEmulator } from "../src/github-emulator/index"

const TOKEN = "ghp_emulatorTestToken"

describe("GitHub emulator", () => {
  let emulator: GitHubEmulator
  const authed = { authorization: `token ${TOKEN}` }
  const graphql = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = authed) =>
    fetch(`${emulator.url}/graphql`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ query, variables })
    })

  beforeEach(async () => {
    emulator ??= await startGitHubEmulator({ port: 0, token: TOKEN })
    emulator.control.reset()
    emulator.control.setIssue("acme/widgets", { number: 1, title: "Fix it", state: "closed", stateReason: "not_planned" })
    emulator.control.setPullRequest("acme/widgets", { number: 2, head: "feature", state: "merged" })
  })
  afterAll(() => emulator.close())

  it("answers aliased GraphQL queries, with NOT_FOUND entries for what is missing", async () => {
    const response = await graphql(
      `query Lookup($owner: String!) {
        repository(owner: $owner, name: "widgets") {
          a: issue(number: 1) { number title state stateReason }
          b: issue(number: 99) { number }
          c: pullRequests(headRefName: "feature", first: 5, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { number state url } }
        }
        missing: repository(owner: "acme", name: "nope") { name }
      }`,
      { owner: "acme" }
    )
    expect(response.status).toBe(200)
    const body = (await response.json()) as { data: unknown; errors: ReadonlyArray<{ type: string; path: ReadonlyArray<string> }> }
    expect(body.data).toEqual({
      repository: {
        a: { number: 1, title: "Fix it", state: "CLOSED", stateReason: "NOT_PLANNED" },
        b: null,
        c: { nodes: [{ number: 2, state: "MERGED", url: "https://github.com/acme/widgets/pull/2" }] }
      },
      missing: null
    })
    expect(body.errors.map((error) => [error.type, error.path])).toEqual([
      ["NOT_FOUND", ["repository", "b"]],
      ["NOT_FOUND", ["missing"]]
    ])
  })

  it("refuses GraphQL without a token, a wrong token, and unknown fields", async () => {
    expect((await graphql("{ viewer { login } }", {}, {})).status).toBe(401)
    const wrong = await graphql("{ viewer { login } }", {}, { authorization: "token nope" })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({ message: "Bad credentials" })
    const unknown = (await (await graphql("{ viewer { password } }")).json()) as { data?: unknown; errors: ReadonlyArray<{ message: string }> }
    expect(unknown.data).toBeUndefined()
    expect(unknown.errors[0]?.message).toBe('Cannot query field "password" on type "User".')
  })

  it("validates every query against GitHub's published schema before running any of it", async () => {
    const refused = async (query: string, variables: Record<string, unknown> = {}) => {
      const body = (await (await graphql(query, variables)).json()) as { data?: unknown; errors: ReadonlyArray<{ message: string }> }
      expect(body.data).toBeUndefined()
      return body.errors.map((error) => error.message)
    }
    // An argument GitHub's pullRequests connection does not take (it is headRefName).
    expect(await refused('{ repository(owner: "acme", name: "widgets") { pullRequests(head: "feature", first: 5) { nodes { number } } } }')).toEqual([
      'Unknown argument "head" on field "Repository.pullRequests".'
    ])
    // A required variable left out, and a scalar given a selection.
    expect(await refused("query ($n: Int!) { repository(owner: \"acme\", name: \"widgets\") { issue(number: $n) { number } } }")).toEqual([
      'Variable "$n" of required type "Int!" was not provided.'
    ])
    expect(await refused('{ viewer { login { name } } }')).toEqual(['Field "login" must not have a selection since type "String!" has no subfields.'])
    // A field of GitHub's schema the emulator does not serve is named, not answered wrongly.
    const unserved = (await (await graphql("{ viewer { login bio } }")).json()) as { errors: ReadonlyArray<{ type: string; message: string }> }
    expect(unserved.errors[0]).toMatchObject({ type: "EMULATOR_UNSUPPORTED", message: "The GitHub emulator does not serve User.bio" })
  })

  it("serves REST with rate-limit headers, ETags and Link pagination", async () => {
    const issue = await fetch(`${emulator.url}/repos/acme/widgets/issues/1`)
    expect(issue.status).toBe(200)
    expect(issue.headers.get("x-ratelimit-limit")).toBe("60")
    expect(Number(issue.headers.get("x-ratelimit-remaining"))).toBe(59)
    expect(await issue.json()).toMatchObject({ number: 1, state: "closed", state_reason: "not_planned" })
    const again = await fetch(`${emulator.url}/repos/acme/widgets/issues/1`, { headers: { "if-none-match": issue.headers.get("etag") ?? "" } })
    expect(again.status).toBe(304)

    for (const number of [3, 4, 5]) emulator.control.setPullRequest("acme/widgets", { number, head: "feature", state: "closed" })
    const page = await fetch(`${emulator.url}/repos/acme/widgets/pulls?head=acme:feature&state=all&per_page=2`)
    expect(((await page.json()) as ReadonlyArray<{ number: number }>).map((pr) => pr.number)).toEqual([5, 4])
    expect(page.headers.get("link")).toContain('page=2>; rel="next"')
    expect((await fetch(`${emulator.url}/repos/acme/nope/issues/1`)).status).toBe(404)
  })

  it("fails on demand: rate limit, server errors for a number of requests, and counts what it served", async () => {
    const resetAt = new Date("2030-01-01T23:59:00Z")
    emulator.control.fail({ kind: "rate-limited", resetAt })
    const limited = await fetch(`${emulator.url}/repos/acme/widgets/issues/1`, { headers: authed })
    expect(limited.status).toBe(403)
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0")
    expect(limited.headers.get("x-ratelimit-reset")).toBe(String(resetAt.getTime() / 1000))
    const limitedGraphql = (await (await graphql("{ viewer { login } }")).json()) as { errors: ReadonlyArray<{ type: string }> }
    expect(limitedGraphql.errors[0]?.type).toBe("RATE_LIMITED")

    emulator.control.fail({ kind: "secondary-rate-limited", retryAfterSeconds: 30 })
    const secondary = await graphql("{ viewer { login } }")
    expect([secondary.status, secondary.headers.get("retry-after")]).toEqual([403, "30"])

    await fetch(`${emulator.url}/_emulator/failure`, { method: "POST", body: JSON.stringify({ kind: "server-error", status: 502, times: 1 }) })
    expect((await fetch(`${emulator.url}/repos/acme/widgets`)).status).toBe(502)
    expect((await fetch(`${emulator.url}/repos/acme/widgets`)).status).toBe(200)

    const counted = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as { count: number }
    expect(counted.count).toBe(5)
    expect(emulator.control.requests().map((request) => request.status)).toEqual([403, 200, 403, 502, 200])
  })
})
