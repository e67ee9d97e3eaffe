import { MemoryWorld, type MemoryWorldOptions, type MemoryWorldServices } from "@ao/adapters-memory/world"
import type { DomainError } from "@ao/domain"
import { Effect, type Exit, type Layer, ManagedRuntime } from "effect"
import type { Hono } from "hono"
import { accessPolicy, type AccessPolicy } from "../src/access"
import { makeApp } from "../src/app"
import type { Answer } from "../src/endpoint"
import type { SingleFlight } from "../src/single-flight"

/** Loopback, no token, no CORS: the default policy. */
export const loopbackAccess = (overrides: Partial<Parameters<typeof accessPolicy>[0]> = {}): AccessPolicy =>
  Effect.runSync(accessPolicy({ host: "127.0.0.1", token: undefined, allowedHosts: [], corsOrigins: [], ...overrides }))

export interface MemoryApi {
  readonly app: Hono
  /** Runs an effect in the same world the app serves: seed it, break it, look at it. */
  readonly world: <A, E>(effect: Effect.Effect<A, E, MemoryWorldServices>) => Promise<A>
  readonly defects: ReadonlyArray<string>
  readonly dispose: () => Promise<void>
}

/** The app over a fresh in-memory world, answering `app.request(...)`. */
export const memoryApi = async (
  options: {
    readonly world?: MemoryWorldOptions
    readonly layer?: Layer.Layer<MemoryWorldServices>
    readonly access?: AccessPolicy
    readonly maxBodyBytes?: number
    readonly reads?: SingleFlight<Exit.Exit<Answer, DomainError>>
  } = {}
): Promise<MemoryApi> => {
  const managed = ManagedRuntime.make(options.layer ?? MemoryWorld.layer({ actor: "api:test", ...options.world }))
  const runtime = await managed.runtime()
  const defects: Array<string> = []
  const app = makeApp({
    runtime,
    access: options.access ?? loopbackAccess(),
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    eventPollInterval: "10 millis",
    shutdown: new AbortController().signal,
    logDefect: (text) => defects.push(text),
    ...(options.reads === undefined ? {} : { reads: options.reads })
  })
  return { app, world: (effect) => managed.runPromise(effect), defects, dispose: () => managed.dispose() }
}

/** A JSON request to the app on its loopback name. */
export const request = (api: MemoryApi, path: string, init: RequestInit = {}) =>
  api.app.request(`http://127.0.0.1${path}`, init)

export const postJson = (api: MemoryApi, path: string, body: unknown) =>
  request(api, path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
