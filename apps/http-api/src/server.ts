import { serve } from "@hono/node-server"
import type { AddressInfo } from "node:net"
import type { Server } from "node:http"
import type { Duplex } from "node:stream"
import type { ManagedRuntime } from "effect"
import { type AccessPolicy, BrowserSignIn, SIGN_IN_PATH } from "./access"
import { makeApp } from "./app"
import type { ApiServices } from "./endpoints"
import { refusalBody } from "./error-body"
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from "./stream-slots"

export interface ServerOptions<E> {
  /** Built here at start, disposed by `close`. */
  readonly runtime: ManagedRuntime.ManagedRuntime<ApiServices, E>
  readonly host: string
  /** 0 picks a free port. */
  readonly port: number
  readonly access: AccessPolicy
  readonly maxBodyBytes?: number
  readonly streams?: Partial<StreamLimits>
  readonly logDefect?: (text: string) => void
  /** The built dashboard to serve at `/`. */
  readonly webRoot?: string
  /** The agents' activity logs, watched to announce state changes. */
  readonly activityDir?: string
  /** The event log's file, watched so event streams read it only when it changes. */
  readonly eventLogFile?: string
}

export interface RunningServer {
  readonly port: number
  /** `http://127.0.0.1:3000`, IPv6 hosts in brackets. */
  readonly url: string
  /** With a token: the one-time URL that signs a browser in (undefined without a token). */
  readonly signInUrl: string | undefined
  /** Stops accepting, lets in-flight requests finish, ends event streams, then disposes the runtime. */
  readonly close: () => Promise<void>
}

/** Bodies are small JSON objects; anything larger is a mistake or an attack. */
const MAX_BODY_BYTES = 64 * 1024

/**
 * Builds the runtime (so a broken config fails the start, not the first
 * request), then listens. Resolves once the port is bound.
 */
export const startServer = async <E>(options: ServerOptions<E>): Promise<RunningServer> => {
  const runtime = await options.runtime.runtime()
  const shutdown = new AbortController()
  const signIn = new BrowserSignIn()
  const app = makeApp({
    runtime,
    access: options.access,
    signIn,
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    streams: { ...DEFAULT_STREAM_LIMITS, ...options.streams },
    shutdown: shutdown.signal,
    logDefect: options.logDefect ?? ((text) => console.error(text)),
    ...(options.webRoot === undefined ? {} : { webRoot: options.webRoot }),
    ...(options.activityDir === undefined ? {} : { activityDir: options.activityDir }),
    ...(options.eventLogFile === undefined ? {} : { eventLogFile: options.eventLogFile })
  })
  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve({ fetch: app.fetch, hostname: options.host, port: options.port }) as Server
    created.once("listening", () => resolve(created))
    created.once("error", reject)
  }).catch(async (error: unknown) => {
    await options.runtime.dispose()
    throw error
  })
  // Node hands CONNECT to a "connect" listener and, without one, drops the socket unanswered.
  server.on("connect", (_request, socket: Duplex) => {
    const body = JSON.stringify(refusalBody("MethodNotAllowed"))
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
    )
  })
  const { port } = server.address() as AddressInfo
  const hostInUrl = options.host.includes(":") ? `[${options.host}]` : options.host

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      shutdown.abort()
      // Resolves once every connection has ended: in-flight answers are sent (with Connection: close).
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await options.runtime.dispose()
    })()
    return closing
  }
  const url = `http://${hostInUrl}:${port}`
  const signInUrl = options.access.token === undefined ? undefined : `${url}${SIGN_IN_PATH}?code=${signIn.newCode()}`
  return { port, url, signInUrl, close }
}
