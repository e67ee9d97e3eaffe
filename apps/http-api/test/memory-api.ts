import { MemoryWorld, type MemoryWorldOptions, type MemoryWorldServices } from "@ao/adapters-memory/world"
import type { DomainError } from "@ao/domain"
import { Effect, type Exit, type Layer, ManagedRuntime, type Runtime } from "effect"
import type { Hono } from "hono"
import { accessPolicy, type AccessPolicy, BrowserSignIn } from "../src/access"
import { makeApp } from "../src/app"
import type { Answer } from "../src/endpoint"
import type { SingleFlight } from "../src/single-flight"
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from "../src/stream-slots"

/** Loopback, no token, no other origins: the default policy. */
export const loopbackAccess = (overrides: Partial<Parameters<typeof accessPolicy>[0]> = {}): AccessPolicy =>
  Effect.runSync(accessPolicy({ host: "127.0.0.1", token: undefined, allowedHosts: [], allowedOrigins: [], ...overrides }))

export interface MemoryApi<R = MemoryWorldServices> {
  readonly app: Hono
  /** Runs an effect in the same world the app serves: seed it, break it, look at it. */
  readonly world: <A, E>(effect: Effect.Effect<A, E, R>) => Promise<A>
  readonly defects: ReadonlyArray<string>
  /** Makes one-time sign-in codes, as the server does at start. */
  readonly signIn: BrowserSignIn
  readonly dispose: () => Promise<void>
}

/** The app over a fresh in-memory world, answering `app.request(...)`. */
export const memoryApi = async <R = MemoryWorldServices>(
  options: {
    readonly world?: MemoryWorldOptions
    /** Instead of the plain world: a layer giving at least its services (and more, which `world` can then reach). */
    readonly layer?: Layer.Layer<R>
    readonly access?: AccessPolicy
    readonly maxBodyBytes?: number
    readonly reads?: SingleFlight<Exit.Exit<Answer, DomainError>>
    readonly streams?: Partial<StreamLimits>
    readonly activityDir?: string
    /** The event log's file to watch (the world's EventLog must write it): the hub then reads only when told. */
    readonly eventLogFile?: string
  } = {}
): Promise<MemoryApi<R>> => {
  const managed = ManagedRuntime.make<R, never>(options.layer ?? (MemoryWorld.layer({ actor: "api:test", ...options.world }) as Layer.Layer<R>))
  const runtime = await managed.runtime()
  const defects: Array<string> = []
  const signIn = new BrowserSignIn()
  const shutdown = new AbortController()
  const app = makeApp({
    // R holds every service of the world, and maybe more: a runtime of more services serves one of fewer.
    runtime: runtime as unknown as Runtime.Runtime<MemoryWorldServices>,
    access: options.access ?? loopbackAccess(),
    signIn,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    streams: { ...DEFAULT_STREAM_LIMITS, pollIntervalMillis: 10, ...options.streams },
    shutdown: shutdown.signal,
    logDefect: (text) => defects.push(text),
    ...(options.reads === undefined ? {} : { reads: options.reads }),
    ...(options.activityDir === undefined ? {} : { activityDir: options.activityDir }),
    ...(options.eventLogFile === undefined ? {} : { eventLogFile: options.eventLogFile })
  })
  return {
    app,
    world: (effect) => managed.runPromise(effect),
    defects,
    signIn,
    dispose: () => {
      // The event hub stops with the app's shutdown signal.
      shutdown.abort()
      return managed.dispose()
    }
  }
}

/** A JSON request to the app on its loopback name. */
export const request = <R,>(api: MemoryApi<R>, path: string, init: RequestInit = {}) =>
  api.app.request(`http://127.0.0.1${path}`, init)

export const postJson = <R,>(api: MemoryApi<R>, path: string, body: unknown) =>
  request(api, path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
