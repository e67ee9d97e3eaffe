import type { Octokit } from "@octokit/rest"
import { Context, DateTime, Duration, Effect, Layer, Option, Redacted, Schedule } from "effect"
import {
  GitHubForbidden,
  type GitHubFailure,
  GitHubNotFound,
  GitHubRateLimited,
  GitHubServerError,
  GitHubTimeout,
  GitHubUnauthorized,
  GitHubUnexpectedAnswer,
  GitHubUnreachable,
  isTransient
} from "./github-failure"
import { type GitHubTokenSources, resolveGitHubToken } from "./github-token"
import { makeRequestBudget } from "./request-budget"

/** A GraphQL error GitHub reported next to partial data (`NOT_FOUND` at a path, …). */
export interface GraphqlFieldError {
  readonly type: string | undefined
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

export interface GraphqlAnswer {
  readonly data: unknown
  readonly errors: ReadonlyArray<GraphqlFieldError>
}

/**
 * The thin client: HTTP to GitHub with authentication, per-attempt timeout and
 * retries of transient failures, and failures classified. It knows nothing of
 * issues or sessions; tests can replace it and still exercise the mapping.
 */
export class GitHubClient extends Context.Tag("@ao/adapters-tracker/GitHubClient")<
  GitHubClient,
  {
    /** Whether a token was found; GitHub's GraphQL API refuses requests without one. */
    readonly authenticated: Effect.Effect<boolean>
    readonly graphql: (query: string) => Effect.Effect<GraphqlAnswer, GitHubFailure>
    /** A REST GET (`/repos/{owner}/{repo}/issues/{issue_number}`, …); its response body. */
    readonly get: (route: string, parameters: Readonly<Record<string, string | number>>) => Effect.Effect<unknown, GitHubFailure>
    /** A REST PUT (`/repos/{owner}/{repo}/pulls/{pull_number}/merge`, …); its response body. Never retried. */
    readonly put: (route: string, parameters: Readonly<Record<string, string | number>>) => Effect.Effect<unknown, GitHubFailure>
  }
>() {}

export interface GitHubClientOptions {
  readonly apiUrl: string
  readonly token: GitHubTokenSources
  /** Per attempt. */
  readonly timeout: Duration.Duration
  /** Attempts for a 5xx or network failure, the first included. */
  readonly attempts: number
  /** The first pause between attempts; it doubles each time. */
  readonly backoff: Duration.Duration
  /** At most this many requests (attempts included) start per minute; the next one waits. Absent: no cap. */
  readonly maxRequestsPerMinute?: number
}

// Octokit would print failed requests on stderr; failures are reported as reasons instead.
const silentLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }

interface OctokitFailure {
  readonly name?: string
  readonly status?: number
  readonly message?: string
  readonly headers?: Readonly<Record<string, string | number | undefined>>
  readonly errors?: ReadonlyArray<{ readonly type?: string; readonly path?: ReadonlyArray<string | number>; readonly message: string }>
  readonly data?: unknown
  readonly response?: { readonly headers: Readonly<Record<string, string | number | undefined>>; readonly data: unknown }
}

const header = (headers: OctokitFailure["headers"], name: string): string | undefined => {
  const value = headers?.[name]
  return value === undefined ? undefined : String(value)
}

/** A positive number of seconds in a header, if there is one. */
const seconds = (headers: OctokitFailure["headers"], name: string): Option.Option<number> => {
  const value = Number(header(headers, name))
  return Number.isFinite(value) && value > 0 ? Option.some(value) : Option.none()
}

const rateLimited = (headers: OctokitFailure["headers"], cause: unknown): GitHubRateLimited =>
  new GitHubRateLimited({
    resetAt: Option.map(seconds(headers, "x-ratelimit-reset"), (epoch) => DateTime.unsafeMake(epoch * 1000)),
    retryAfter: Option.map(seconds(headers, "retry-after"), Duration.seconds),
    cause
  })

const bodyMessage = (data: unknown): string =>
  typeof data === "object" && data !== null && "message" in data && typeof data.message === "string" ? data.message : ""

/** Sorts what octokit threw into the adapter's failures. */
const classify = (error: unknown, apiUrl: string): GitHubFailure => {
  const failure = (typeof error === "object" && error !== null ? error : {}) as OctokitFailure
  if (failure.name === "GraphqlResponseError") {
    if (failure.errors?.some((entry) => entry.type === "RATE_LIMITED") === true) return rateLimited(failure.headers, error)
    return new GitHubUnexpectedAnswer({ detail: failure.errors?.map((entry) => entry.message).join("; ") ?? "", cause: error })
  }
  const status = failure.status
  if (status === undefined) return new GitHubUnexpectedAnswer({ detail: String(failure.message ?? error), cause: error })
  // octokit reports a failed fetch (refused, reset, DNS) as a 500 without a response.
  if (failure.response === undefined) {
    return new GitHubUnreachable({ apiUrl, detail: failure.message ?? "network error", attempts: 1, cause: error })
  }
  const headers = failure.response.headers
  const message = bodyMessage(failure.response.data)
  if (status === 401) return new GitHubUnauthorized({ cause: error })
  if (status === 403 || status === 429) {
    const limited = header(headers, "x-ratelimit-remaining") === "0" || header(headers, "retry-after") !== undefined || /rate limit/i.test(message)
    return limited ? rateLimited(headers, error) : new GitHubForbidden({ detail: message || "forbidden", cause: error })
  }
  if (status === 404) return new GitHubNotFound({ cause: error })
  if (status >= 500) return new GitHubServerError({ status, attempts: 1, cause: error })
  return new GitHubUnexpectedAnswer({ detail: `HTTP ${status}${message === "" ? "" : `: ${message}`}`, cause: error })
}

/** Partial data with field errors is an answer for the mapping to read, unless GitHub says it is rate limited. */
const graphqlAnswer = async (octokit: Octokit, query: string, signal: AbortSignal): Promise<GraphqlAnswer> => {
  try {
    return { data: await octokit.graphql(query, { request: { signal } }), errors: [] }
  } catch (error) {
    const failure = error as OctokitFailure
    if (failure.name !== "GraphqlResponseError" || failure.errors?.some((entry) => entry.type === "RATE_LIMITED") === true) throw error
    return {
      data: failure.data ?? null,
      errors: (failure.errors ?? []).map((entry) => ({ type: entry.type, path: entry.path ?? [], message: entry.message }))
    }
  }
}

const withAttempts = (attempts: number) => (failure: GitHubFailure): GitHubFailure => {
  switch (failure._tag) {
    case "GitHubServerError":
      return new GitHubServerError({ ...failure, attempts })
    case "GitHubUnreachable":
      return new GitHubUnreachable({ ...failure, attempts })
    default:
      return failure
  }
}

/**
 * Octokit is imported on first use, never when the layer is built: commands
 * that need no GitHub answer (or find it cached) do not pay for loading it.
 */
export const GitHubClientLive = (options: GitHubClientOptions): Layer.Layer<GitHubClient> =>
  Layer.effect(
    GitHubClient,
    Effect.gen(function* () {
      const token = yield* Effect.cached(resolveGitHubToken(options.token))
      const octokit = yield* Effect.cached(
        Effect.gen(function* () {
          const auth = yield* token
          const { Octokit } = yield* Effect.promise(() => import("@octokit/rest"))
          return new Octokit({
            baseUrl: options.apiUrl,
            userAgent: "ao",
            log: silentLog,
            ...Option.match(auth, { onNone: () => ({}), onSome: (value) => ({ auth: Redacted.value(value) }) })
          })
        })
      )

      const budget = options.maxRequestsPerMinute === undefined ? undefined : yield* makeRequestBudget(options.maxRequestsPerMinute)
      /** One HTTP request, after waiting for room under the per-minute cap (the wait is not part of its timeout). */
      const attempt = <A>(client: Octokit, call: (client: Octokit, signal: AbortSignal) => Promise<A>): Effect.Effect<A, GitHubFailure> =>
        Effect.zipRight(
          budget?.take ?? Effect.void,
          Effect.tryPromise({ try: (signal) => call(client, signal), catch: (error) => classify(error, options.apiUrl) }).pipe(
            Effect.timeoutFail({ duration: options.timeout, onTimeout: () => new GitHubTimeout({ after: options.timeout }) })
          )
        )

      // Loading octokit (and asking gh for a token) is not part of a request's time budget.
      const send = <A>(call: (client: Octokit, signal: AbortSignal) => Promise<A>): Effect.Effect<A, GitHubFailure> =>
        Effect.flatMap(octokit, (client) =>
          attempt(client, call).pipe(
            Effect.retry({ while: isTransient, times: options.attempts - 1, schedule: Schedule.exponential(options.backoff) }),
            Effect.mapError(withAttempts(options.attempts))
          )
        )

      /** A write is not repeated on a 5xx: it may have happened. */
      const sendOnce = <A>(call: (client: Octokit, signal: AbortSignal) => Promise<A>): Effect.Effect<A, GitHubFailure> =>
        Effect.flatMap(octokit, (client) => attempt(client, call))

      return GitHubClient.of({
        authenticated: Effect.map(token, Option.isSome),
        graphql: (query) => send((client, signal) => graphqlAnswer(client, query, signal)).pipe(Effect.withSpan("GitHubClient.graphql")),
        get: (route, parameters) =>
          send((client, signal) => client.request(`GET ${route}`, { ...parameters, request: { signal } })).pipe(
            Effect.map((response) => response.data as unknown),
            Effect.withSpan("GitHubClient.get", { attributes: { route } })
          ),
        put: (route, parameters) =>
          sendOnce((client, signal) => client.request(`PUT ${route}`, { ...parameters, request: { signal } })).pipe(
            Effect.map((response) => response.data as unknown),
            Effect.withSpan("GitHubClient.put", { attributes: { route } })
          )
      })
    })
  )
