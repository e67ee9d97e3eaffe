import { createHash } from "node:crypto"
import type { Context, Hono } from "hono"
import type { EmulatedIssue, EmulatedPullRequest, EmulatorState, Repository } from "./state"

/** The REST endpoints a tracker reads without a token, with GitHub's bodies, ETags and Link pagination. */

const DOCS = "https://docs.github.com/rest"
const TIMESTAMP = "2026-01-01T00:00:00Z"

export const notFound = (c: Context, documentation = DOCS) =>
  c.json({ message: "Not Found", documentation_url: documentation, status: "404" }, 404)

/** JSON with a weak ETag; a matching If-None-Match gets 304 with no body, as on GitHub. */
const withEtag = (c: Context, body: unknown) => {
  const text = JSON.stringify(body)
  const etag = `W/"${createHash("sha256").update(text).digest("hex").slice(0, 40)}"`
  c.header("etag", etag)
  c.header("cache-control", "private, max-age=60, s-maxage=60")
  if (c.req.header("if-none-match") === etag) return c.body(null, 304)
  return c.body(text, 200, { "content-type": "application/json; charset=utf-8" })
}

const visibleRepository = (state: EmulatorState, c: Context, authenticated: boolean): Repository | undefined => {
  const repository = state.repository(`${c.req.param("owner")}/${c.req.param("repo")}`)
  return repository === undefined || (repository.private && !authenticated) ? undefined : repository
}

const user = { login: "emulated-user", id: 1, type: "User" }

const issueBody = (state: EmulatorState, repository: Repository, issue: EmulatedIssue) => ({
  id: issue.number,
  number: issue.number,
  title: issue.title,
  state: issue.state,
  state_reason: issue.stateReason,
  html_url: state.issueUrl(repository, issue.number),
  url: `https://api.github.com/repos/${repository.owner}/${repository.name}/issues/${issue.number}`,
  user,
  body: issue.body ?? null,
  labels: (issue.labels ?? []).map((name, index) => ({ id: index + 1, name, color: "ededed" })),
  comments: issue.comments?.length ?? 0,
  created_at: TIMESTAMP,
  updated_at: TIMESTAMP,
  closed_at: issue.state === "closed" ? TIMESTAMP : null
})

const pullRequestBody = (state: EmulatorState, repository: Repository, pr: EmulatedPullRequest) => ({
  id: pr.number,
  number: pr.number,
  title: pr.title,
  // REST has no "merged" state: a merged PR is closed with merged_at set.
  state: pr.state === "open" ? "open" : "closed",
  merged: pr.state === "merged",
  merged_at: pr.state === "merged" ? TIMESTAMP : null,
  draft: false,
  html_url: state.pullRequestUrl(repository, pr.number),
  url: `https://api.github.com/repos/${repository.owner}/${repository.name}/pulls/${pr.number}`,
  head: { ref: pr.head, label: `${repository.owner}:${pr.head}`, repo: { full_name: `${repository.owner}/${repository.name}` } },
  base: { ref: pr.base, label: `${repository.owner}:${pr.base}` },
  user,
  created_at: TIMESTAMP,
  updated_at: TIMESTAMP,
  closed_at: pr.state === "open" ? null : TIMESTAMP
})

const numberParam = (c: Context): number | undefined => {
  const raw = c.req.param("number") ?? ""
  return /^\d+$/.test(raw) ? Number(raw) : undefined
}

/** `Link` header for page `page` of `pages`, with the request's other query parameters kept. */
const linkHeader = (c: Context, page: number, pages: number): string | undefined => {
  const at = (target: number) => {
    const url = new URL(c.req.url)
    url.searchParams.set("page", String(target))
    return url.toString()
  }
  const links = [
    ...(page < pages ? [`<${at(page + 1)}>; rel="next"`, `<${at(pages)}>; rel="last"`] : []),
    ...(page > 1 ? [`<${at(1)}>; rel="first"`, `<${at(page - 1)}>; rel="prev"`] : [])
  ]
  return links.length === 0 ? undefined : links.join(", ")
}

export const registerRestRoutes = (app: Hono, state: EmulatorState, isAuthenticated: (c: Context) => boolean) => {
  app.get("/repos/:owner/:repo", (c) => {
    const repository = visibleRepository(state, c, isAuthenticated(c))
    if (repository === undefined) return notFound(c, `${DOCS}/repos/repos#get-a-repository`)
    return withEtag(c, {
      name: repository.name,
      full_name: `${repository.owner}/${repository.name}`,
      private: repository.private,
      html_url: `${state.webUrl}/${repository.owner}/${repository.name}`,
      default_branch: "main"
    })
  })

  app.get("/repos/:owner/:repo/issues/:number", (c) => {
    const repository = visibleRepository(state, c, isAuthenticated(c))
    const number = numberParam(c)
    const documentation = `${DOCS}/issues/issues#get-an-issue`
    if (repository === undefined || number === undefined) return notFound(c, documentation)
    const issue = repository.issues.get(number)
    if (issue !== undefined) return withEtag(c, issueBody(state, repository, issue))
    // On GitHub every pull request is also an issue.
    const pr = repository.pullRequests.get(number)
    if (pr === undefined) return notFound(c, documentation)
    return withEtag(c, {
      ...issueBody(state, repository, {
        number,
        title: pr.title,
        state: pr.state === "open" ? "open" : "closed",
        stateReason: null
      }),
      pull_request: { html_url: state.pullRequestUrl(repository, number), merged_at: pr.state === "merged" ? TIMESTAMP : null }
    })
  })

  app.get("/repos/:owner/:repo/issues/:number/comments", (c) => {
    const repository = visibleRepository(state, c, isAuthenticated(c))
    const number = numberParam(c)
    const issue = number === undefined ? undefined : repository?.issues.get(number)
    if (repository === undefined || issue === undefined) return notFound(c, `${DOCS}/issues/comments#list-issue-comments`)
    const perPage = Math.min(Math.max(Number(c.req.query("per_page") ?? 30), 1), 100)
    const page = Math.max(Number(c.req.query("page") ?? 1), 1)
    const comments = issue.comments ?? []
    const pages = Math.max(Math.ceil(comments.length / perPage), 1)
    const link = linkHeader(c, page, pages)
    if (link !== undefined) c.header("link", link)
    return withEtag(
      c,
      comments.slice((page - 1) * perPage, page * perPage).map((comment, index) => ({
        id: (page - 1) * perPage + index + 1,
        user: { ...user, login: comment.author },
        body: comment.body,
        created_at: comment.createdAt,
        updated_at: comment.createdAt
      }))
    )
  })

  app.get("/repos/:owner/:repo/pulls/:number", (c) => {
    const repository = visibleRepository(state, c, isAuthenticated(c))
    const number = numberParam(c)
    const pr = number === undefined ? undefined : repository?.pullRequests.get(number)
    if (repository === undefined || pr === undefined) return notFound(c, `${DOCS}/pulls/pulls#get-a-pull-request`)
    return withEtag(c, pullRequestBody(state, repository, pr))
  })

  app.get("/repos/:owner/:repo/pulls", (c) => {
    const repository = visibleRepository(state, c, isAuthenticated(c))
    if (repository === undefined) return notFound(c, `${DOCS}/pulls/pulls#list-pull-requests`)
    const wanted = c.req.query("state") ?? "open"
    // `head` is `owner:branch`; GitHub ignores the filter when the owner part is missing.
    const head = c.req.query("head")
    const branch = head?.includes(":") === true ? head.slice(head.indexOf(":") + 1) : undefined
    const perPage = Math.min(Math.max(Number(c.req.query("per_page") ?? 30), 1), 100)
    const page = Math.max(Number(c.req.query("page") ?? 1), 1)
    const matching = [...repository.pullRequests.values()]
      .filter((pr) => wanted === "all" || (wanted === "open") === (pr.state === "open"))
      .filter((pr) => branch === undefined || pr.head === branch)
      .sort((a, b) => b.number - a.number)
    const pages = Math.max(Math.ceil(matching.length / perPage), 1)
    const link = linkHeader(c, page, pages)
    if (link !== undefined) c.header("link", link)
    return withEtag(
      c,
      matching.slice((page - 1) * perPage, page * perPage).map((pr) => pullRequestBody(state, repository, pr))
    )
  })
}
