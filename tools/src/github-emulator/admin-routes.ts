import type { Hono } from "hono"
import type { GitHubEmulatorControl } from "./control"
import type { EmulatedFailure } from "./state"

/**
 * `/_emulator/*`: the control API over HTTP, for tests that run the emulator
 * as a child process. Bodies mirror the programmatic control's arguments.
 */
export const ADMIN_PREFIX = "/_emulator"

interface FailureBody {
  readonly kind: EmulatedFailure["kind"]
  readonly resetAt?: string
  readonly retryAfterSeconds?: number
  readonly status?: number
  readonly times?: number
  readonly delayMs?: number
}

const toFailure = (body: FailureBody): EmulatedFailure => {
  switch (body.kind) {
    case "rate-limited":
      return { kind: "rate-limited", resetAt: new Date(body.resetAt ?? Date.now() + 3_600_000) }
    case "secondary-rate-limited":
      return { kind: "secondary-rate-limited", retryAfterSeconds: body.retryAfterSeconds ?? 60 }
    case "unauthorized":
      return { kind: "unauthorized" }
    case "server-error":
      return {
        kind: "server-error",
        ...(body.status === undefined ? {} : { status: body.status }),
        ...(body.times === undefined ? {} : { times: body.times })
      }
    case "slow":
      return { kind: "slow", delayMs: body.delayMs ?? 60_000 }
  }
}

export const registerAdminRoutes = (app: Hono, control: GitHubEmulatorControl) => {
  app.post(`${ADMIN_PREFIX}/repos/:owner/:repo`, async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { readonly private?: boolean }
    control.addRepository(`${c.req.param("owner")}/${c.req.param("repo")}`, body)
    return c.json({ ok: true })
  })
  app.delete(`${ADMIN_PREFIX}/repos/:owner/:repo`, (c) => {
    control.removeRepository(`${c.req.param("owner")}/${c.req.param("repo")}`)
    return c.json({ ok: true })
  })
  app.post(`${ADMIN_PREFIX}/repos/:owner/:repo/issues`, async (c) => {
    const url = control.setIssue(`${c.req.param("owner")}/${c.req.param("repo")}`, await c.req.json())
    return c.json({ url })
  })
  app.post(`${ADMIN_PREFIX}/repos/:owner/:repo/pulls`, async (c) => {
    const url = control.setPullRequest(`${c.req.param("owner")}/${c.req.param("repo")}`, await c.req.json())
    return c.json({ url })
  })
  app.post(`${ADMIN_PREFIX}/repos/:owner/:repo/pulls/:number/review`, async (c) => {
    const review = control.setPullRequestReview(
      `${c.req.param("owner")}/${c.req.param("repo")}`,
      Number(c.req.param("number")),
      await c.req.json()
    )
    return c.json(review)
  })
  app.get(`${ADMIN_PREFIX}/merges`, (c) => c.json(control.merges()))
  app.post(`${ADMIN_PREFIX}/failure`, async (c) => {
    control.fail(toFailure((await c.req.json()) as FailureBody))
    return c.json({ ok: true })
  })
  app.delete(`${ADMIN_PREFIX}/failure`, (c) => {
    control.fail(null)
    return c.json({ ok: true })
  })
  app.get(`${ADMIN_PREFIX}/requests`, (c) => c.json({ count: control.requestCount(), requests: control.requests() }))
  app.post(`${ADMIN_PREFIX}/reset`, (c) => {
    control.reset()
    return c.json({ ok: true })
  })
}
