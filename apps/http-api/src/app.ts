import { type DomainError, errorView, followSessionOutput, parseSessionName } from "@ao/domain"
import { Cause, Effect, Exit, Option, Runtime } from "effect"
import { type Context, Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import { getCookie } from "hono/cookie"
import { cors } from "hono/cors"
import { HTTPException } from "hono/http-exception"
import { streamSSE } from "hono/streaming"
import { type AccessPolicy, type BrowserSignIn, crossSiteGuard, hostGuard, SIGN_IN_COOKIE, tokenGuard } from "./access"
import { type Answer, decodeQuery, type Endpoint, type RawRequest } from "./endpoint"
import { type ApiServices, API_ENDPOINTS } from "./endpoints"
import { type RefusalTag, REFUSALS, refusalBody } from "./error-body"
import { STATUS_OF_ERROR } from "./error-status"
import { watchEventLog } from "./event-log-watch"
import { EventHub, EVENTS_ROUTE, type LogChange, startCursor } from "./event-stream"
import { followStream, type StreamLimits, StreamSlots } from "./stream-slots"
import { watchActivity } from "./activity-watch"
import { loadDashboard, serveDashboard } from "./dashboard"
import { openApiDocument } from "./openapi"
import { OUTPUT_ROUTE, OutputQuery, outputOptions, writeOutputStream } from "./output-stream"
import { SingleFlight } from "./single-flight"

export interface AppOptions {
  /** Built once at boot from the live layer (or the in-memory world in tests). */
  readonly runtime: Runtime.Runtime<ApiServices>
  readonly access: AccessPolicy
  /** Signs browsers in when the access policy has a token. */
  readonly signIn: BrowserSignIn
  readonly maxBodyBytes: number
  readonly streams: StreamLimits
  /** Aborted when the server shuts down: event streams end so the server can drain. */
  readonly shutdown: AbortSignal
  /** Where failures that are bugs (defects) are reported; their details never reach a response. */
  readonly logDefect: (text: string) => void
  /** Shared with the caller so tests can watch reads being joined. */
  readonly reads?: SingleFlight<Exit.Exit<Answer, DomainError>>
  /** The built dashboard (apps/web) to serve at `/`; none when absent. */
  readonly webRoot?: string
  /** The agents' activity logs: a change there is announced on the event stream as `activity`. */
  readonly activityDir?: string
  /** The event log's file, watched so the event streams' hub reads it only when it changes (without it: every poll interval). */
  readonly eventLogFile?: string
}

/** `/api/sessions/{name}` → `/api/sessions/:name` */
const honoPath = (template: string) => template.replace(/\{(\w+)\}/g, ":$1")

const refuse = (c: Context, tag: RefusalTag) => c.json(refusalBody(tag), REFUSALS[tag].status)

/**
 * Who a stream counts against: the signed-in browser, else the address it
 * connects from (every local process shares the loopback address).
 */
const clientOf = (c: Context): string => {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  const cookie = getCookie(c, SIGN_IN_COOKIE)
  return cookie === undefined ? `address ${incoming?.socket?.remoteAddress ?? "unknown"}` : `browser ${cookie}`
}

/**
 * Identical reads: same endpoint, same path, same query (in any order), and
 * no change known to the server since the read in flight started (`generation`):
 * a read after a kill never joins one that began before it.
 */
const readKey = (c: Context, generation: number) => {
  const url = new URL(c.req.url)
  url.searchParams.sort()
  return `${c.req.method} ${url.pathname}?${url.searchParams.toString()} #${generation}`
}

/**
 * The HTTP frontend: guards, then one route per endpoint, the event stream
 * and the OpenAPI document. It holds no business logic: every route decodes
 * its input, runs a use case on the runtime and encodes the answer.
 */
export const makeApp = (options: AppOptions): Hono => {
  const { runtime, access } = options
  const run = Runtime.runPromiseExit(runtime)
  const reads = options.reads ?? new SingleFlight<Exit.Exit<Answer, DomainError>>()
  /** Counts the changes the server knows of: its own writes, the event log's, the agents' activity. */
  let generation = 0
  const changed = () => void (generation += 1)

  const failed = (c: Context, cause: Cause.Cause<DomainError>) =>
    Option.match(Cause.failureOption(cause), {
      onSome: (error) => c.json(errorView(error), STATUS_OF_ERROR[error._tag]),
      onNone: () => {
        // The client went away (or the server is stopping): nobody reads this answer.
        if (Cause.isInterruptedOnly(cause)) return refuse(c, "Interrupted")
        options.logDefect(`${c.req.method} ${c.req.path}: ${Cause.pretty(cause)}`)
        return refuse(c, "InternalError")
      }
    })

  const respond = (c: Context, exit: Exit.Exit<Answer, DomainError>) =>
    Exit.match(exit, { onSuccess: (answer) => c.json(answer.body, answer.status), onFailure: (cause) => failed(c, cause) })

  const route = (endpoint: Endpoint<ApiServices>) => async (c: Context) => {
    // The cross-site guard already refused any POST that is not JSON.
    const body = endpoint.body === undefined ? "" : await c.req.text()
    const request: RawRequest = { params: c.req.param(), query: c.req.query(), body }
    const handled = endpoint.handle(request)
    // A shared read outlives any one caller, so it does not take the caller's abort signal;
    // a change runs to completion even if its caller goes away, so a dropped connection
    // never leaves a kill or a cleanup half done. Only a private read stops with its caller.
    const exit = endpoint.shared
      ? await reads.run(readKey(c, generation), () => run(handled))
      : endpoint.method === "GET"
        ? await run(handled, { signal: c.req.raw.signal })
        : await run(handled).finally(changed)
    return respond(c, exit)
  }

  const app = new Hono()

  app.notFound((c) => refuse(c, "RouteNotFound"))
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse()
    options.logDefect(`${c.req.method} ${c.req.path}: ${error.stack ?? String(error)}`)
    return refuse(c, "InternalError")
  })

  app.use(hostGuard(access.allowedHosts))
  // CORS only for the origins the user allowed: no other page can read what the API answers.
  if (access.allowedOrigins.size > 0) app.use(cors({ origin: [...access.allowedOrigins] }))
  app.use(crossSiteGuard(access.allowedOrigins))
  if (access.token !== undefined) app.use(tokenGuard(access.token, options.signIn))
  app.use(bodyLimit({ maxSize: options.maxBodyBytes, onError: (c) => refuse(c, "PayloadTooLarge") }))
  app.use(async (c, next) => {
    await next()
    // Draining: answer what is in flight, but close keep-alive connections after it.
    if (options.shutdown.aborted) c.header("Connection", "close")
  })

  for (const endpoint of API_ENDPOINTS) app.on(endpoint.method, honoPath(endpoint.path), route(endpoint))

  const hub = new EventHub({
    read: (effect) => Runtime.runPromise(runtime)(effect),
    pollIntervalMillis: options.streams.pollIntervalMillis,
    ...(options.eventLogFile === undefined
      ? {}
      : {
          changes: (tell: (change: LogChange) => void) =>
            void watchEventLog(
              options.eventLogFile!,
              (change) => {
                changed()
                tell(change)
              },
              options.shutdown
            )
        }),
    shutdown: options.shutdown,
    errorMessage: (error) => {
      const body =
        typeof error === "object" && error !== null && "_tag" in error && error._tag === "EventLogFailed"
          ? errorView(error as DomainError)
          : (options.logDefect(`GET ${EVENTS_ROUTE.path}: ${String(error)}`), refusalBody("InternalError"))
      return { event: "error", data: JSON.stringify(body) }
    }
  })
  const slots = new StreamSlots(options.streams)
  if (options.activityDir !== undefined) {
    watchActivity(
      options.activityDir,
      (sessionId) => {
        changed()
        hub.broadcast(sessionId, { event: "activity", data: JSON.stringify({ sessionId }) })
      },
      options.shutdown
    )
  }

  app.get(EVENTS_ROUTE.path, async (c) => {
    const started = await run(
      Effect.flatMap(decodeQuery(EVENTS_ROUTE.query, c.req.query()), (query) =>
        Effect.map(startCursor(query, c.req.header("last-event-id")), (start) => ({ query, start }))
      )
    )
    if (Exit.isFailure(started)) return failed(c, started.cause)
    // Hono answers HEAD with the GET route; a stream nobody reads would never end.
    if (c.req.raw.method === "HEAD") return c.body(null, 200, { "content-type": "text/event-stream" })
    const slot = slots.take(clientOf(c))
    if (slot._tag !== "Taken") {
      c.header("Retry-After", "10")
      return refuse(c, slot._tag)
    }
    const response = streamSSE(c, (stream) =>
      followStream({ hub, stream, limits: options.streams, subscription: started.value, stop: c.req.raw.signal }).finally(slot.release)
    )
    // The connection ends with the stream (clients reconnect with Last-Event-ID), so a draining server is not held by it.
    response.headers.set("Connection", "close")
    return response
  })

  app.get(honoPath(OUTPUT_ROUTE.path), async (c) => {
    const started = await run(
      Effect.gen(function* () {
        const name = yield* parseSessionName(c.req.param("name") ?? "")
        const query = yield* decodeQuery(OutputQuery, c.req.query())
        return yield* followSessionOutput(name, outputOptions(query))
      })
    )
    if (Exit.isFailure(started)) return failed(c, started.cause)
    if (c.req.raw.method === "HEAD") return c.body(null, 200, { "content-type": "text/event-stream" })
    const slot = slots.take(clientOf(c))
    if (slot._tag !== "Taken") {
      c.header("Retry-After", "10")
      return refuse(c, slot._tag)
    }
    const { id, changes } = started.value
    const response = streamSSE(c, (stream) =>
      writeOutputStream({
        name: id,
        stream,
        changes,
        run: (effect, signal) => run(effect, { signal }),
        heartbeatMillis: options.streams.heartbeatMillis,
        stop: options.shutdown
      }).finally(slot.release)
    )
    response.headers.set("Connection", "close")
    return response
  })

  serveDashboard(app, loadDashboard(options.webRoot))

  const document = openApiDocument(API_ENDPOINTS, [EVENTS_ROUTE, OUTPUT_ROUTE])
  app.get("/api/openapi.json", (c) => c.json(document))

  // A known path with another method is 405 with the methods it takes, not 404.
  const methodsByPath = new Map<string, Array<string>>()
  for (const { method, path } of [
    ...API_ENDPOINTS,
    { method: "GET", path: EVENTS_ROUTE.path },
    { method: "GET", path: OUTPUT_ROUTE.path },
    { method: "GET", path: "/api/openapi.json" }
  ]) {
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), method])
  }
  for (const [path, methods] of methodsByPath) {
    app.all(honoPath(path), (c) => {
      c.header("Allow", [...methods, ...(methods.includes("GET") ? ["HEAD"] : [])].join(", "))
      return refuse(c, "MethodNotAllowed")
    })
  }

  return app
}
