import type { Server } from "node:http"
import type { AddressInfo } from "node:net"
import { setTimeout as sleep } from "node:timers/promises"
import { createAdaptorServer } from "@hono/node-server"
import { type Context, Hono } from "hono"
import { ADMIN_PREFIX, registerAdminRoutes } from "./admin-routes"
import { type GitHubEmulatorControl, makeControl } from "./control"
import { runGraphql } from "./graphql-endpoint"
import { queryRoot } from "./graphql-resolvers"
import { registerReviewRestRoutes } from "./pull-request-review"
import { registerRestRoutes } from "./rest-routes"
import { type EmulatorOptions, EmulatorState } from "./state"

/**
 * A GitHub API emulator on loopback: the REST and GraphQL subset the tracker
 * adapter uses, with GitHub's headers (rate limit, ETag, Link) and error
 * bodies, and failures on demand (401, rate limit, 5xx, slow answers).
 */

export interface GitHubEmulator {
  /** The API base URL (`github.apiUrl` / `GITHUB_API_URL`); GraphQL is at `${url}/graphql`. */
  readonly url: string
  readonly control: GitHubEmulatorControl
  readonly close: () => Promise<void>
}

const LIMITS = { authenticated: 5000, anonymous: 60 }
const WINDOW_MS = 3_600_000

const tokenOf = (c: Context): string | undefined => {
  const match = /^(?:token|bearer)\s+(.+)$/i.exec(c.req.header("authorization") ?? "")
  return match?.[1]
}

const epochSeconds = (date: Date) => String(Math.floor(date.getTime() / 1000))

export const makeEmulatorApp = (options: EmulatorOptions = {}) => {
  const state = new EmulatorState(options)
  const control = makeControl(state)
  const app = new Hono()
  const windowResetAt = new Date(Date.now() + WINDOW_MS)
  let requestNumber = 0

  registerAdminRoutes(app, control)

  app.use("*", async (c, next) => {
    if (c.req.path.startsWith(ADMIN_PREFIX)) return next()
    const served = { method: c.req.method, path: c.req.path, status: 0 }
    state.served.push(served)
    c.header("x-github-request-id", `EMU0:${(++requestNumber).toString(16).padStart(6, "0")}`)
    c.header("x-github-api-version-selected", "2022-11-28")
    c.header("x-github-media-type", "github.v3; format=json")
    const refusal = await misbehave(c, next)
    served.status = (refusal ?? c.res).status
    return refusal
  })

  /** A refusal the failure mode or the auth check calls for, or undefined once the route has answered. */
  const misbehave = async (c: Context, next: () => Promise<void>): Promise<Response | undefined> => {
    // Like GitHub's window, an exhausted limit ends at its reset time.
    if (state.failure?.kind === "rate-limited" && state.failure.resetAt.getTime() <= Date.now()) state.failure = null
    const failure = state.failure
    if (failure?.kind === "slow") await sleep(failure.delayMs)

    const token = tokenOf(c)
    if (token !== undefined && (failure?.kind === "unauthorized" || (options.token !== undefined && token !== options.token))) {
      return c.json({ message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" }, 401)
    }

    const resource = c.req.path === "/graphql" ? "graphql" : "core"
    const limit = token === undefined ? LIMITS.anonymous : LIMITS.authenticated
    const key = `${resource}:${token === undefined ? "anonymous" : "token"}`
    const before = state.remaining.get(key) ?? limit
    const exhausted = failure?.kind === "rate-limited" || before === 0
    const resetAt = failure?.kind === "rate-limited" ? failure.resetAt : windowResetAt
    const remaining = exhausted ? 0 : before - 1
    if (failure?.kind !== "rate-limited") state.remaining.set(key, remaining)
    c.header("x-ratelimit-limit", String(limit))
    c.header("x-ratelimit-remaining", String(remaining))
    c.header("x-ratelimit-used", String(limit - remaining))
    c.header("x-ratelimit-reset", epochSeconds(resetAt))
    c.header("x-ratelimit-resource", resource)
    if (exhausted) {
      const who = token === undefined ? "127.0.0.1" : "user ID 1"
      // GraphQL reports an exhausted limit in a 200 body; REST answers 403.
      if (resource === "graphql") {
        return c.json({ errors: [{ type: "RATE_LIMITED", code: "graphql_rate_limit", message: `API rate limit exceeded for ${who}.` }] }, 200)
      }
      return c.json(
        {
          message: `API rate limit exceeded for ${who}.`,
          documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
        },
        403
      )
    }

    if (failure?.kind === "secondary-rate-limited") {
      return c.json(
        {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
            `If you reach out to GitHub Support for help, please include the request ID ${requestNumber}.`,
          documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
        },
        403,
        { "retry-after": String(failure.retryAfterSeconds) }
      )
    }

    if (failure?.kind === "server-error") {
      if (failure.times !== undefined) {
        state.failure = failure.times <= 1 ? null : { ...failure, times: failure.times - 1 }
      }
      const status = failure.status ?? 500
      if (status === 500) return c.json({ message: "Server Error" }, 500)
      return c.body(`<html><body><h1>${status}</h1>Unicorn! This page is taking too long to load.</body></html>`, status as 502, {
        "content-type": "text/html; charset=utf-8"
      })
    }
    await next()
    return undefined
  }

  app.post("/graphql", async (c) => {
    if (tokenOf(c) === undefined) {
      return c.json(
        {
          message: "This endpoint requires you to be authenticated.",
          documentation_url: "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql",
          status: "401"
        },
        401
      )
    }
    const body = (await c.req.json().catch(() => undefined)) as
      | { readonly query?: unknown; readonly variables?: Readonly<Record<string, unknown>> | null; readonly operationName?: unknown }
      | undefined
    if (typeof body?.query !== "string") {
      return c.json({ message: "Problems parsing JSON", documentation_url: "https://docs.github.com/graphql", status: "400" }, 400)
    }
    const rateLimit = {
      limit: LIMITS.authenticated,
      remaining: state.remaining.get("graphql:token") ?? LIMITS.authenticated,
      resetAt: windowResetAt
    }
    const response = runGraphql(
      body.query,
      body.variables ?? {},
      typeof body.operationName === "string" ? body.operationName : undefined,
      queryRoot(state, rateLimit)
    )
    return c.json(response)
  })

  registerRestRoutes(app, state, (c) => tokenOf(c) !== undefined)
  registerReviewRestRoutes(app, state)
  app.notFound((c) => c.json({ message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" }, 404))

  return { app, control }
}

/** Starts the emulator on 127.0.0.1 (`port: 0` picks a free port). */
export const startGitHubEmulator = async (options: EmulatorOptions & { readonly port?: number } = {}): Promise<GitHubEmulator> => {
  const { app, control } = makeEmulatorApp(options)
  const server = createAdaptorServer({ fetch: app.fetch }) as Server
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Slow answers still pending must not hold the test up.
        server.closeAllConnections()
        server.close((error) => (error === undefined ? resolve() : reject(error)))
      })
  }
}
