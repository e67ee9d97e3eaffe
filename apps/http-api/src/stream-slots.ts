import type { SSEStreamingApi } from "hono/streaming"
import { refusalBody } from "./error-body"
import type { EventHub, EventStreamQuery, StreamMessage, StreamStart } from "./event-stream"

/** What bounds the event streams, so a flood of them cannot starve the rest of the server. */
export interface StreamLimits {
  /** Streams open at once, all clients together; past it: 429. */
  readonly maxStreams: number
  /** Streams open at once for one client (a signed-in browser, else an address); past it: 429. */
  readonly maxStreamsPerClient: number
  /** How often the hub reads the event log for open streams when no watcher tells it of changes (the server watches the file). */
  readonly pollIntervalMillis: number
  /** A comment is sent after this long without a write, so proxies and clients see the stream alive. */
  readonly heartbeatMillis: number
  /** A stream without an event for this long is closed; the client reconnects with Last-Event-ID. */
  readonly idleMillis: number
  /** Messages waiting for a client that does not read; past it the stream is closed. */
  readonly maxQueued: number
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxStreams: 256,
  maxStreamsPerClient: 64,
  pollIntervalMillis: 500,
  heartbeatMillis: 15_000,
  idleMillis: 30 * 60_000,
  maxQueued: 10_000
}

export type Slot =
  | { readonly _tag: "Taken"; readonly release: () => void }
  | { readonly _tag: "TooManyStreams" }
  | { readonly _tag: "TooManyStreamsForClient" }

/** Counts open streams, in total and per client. */
export class StreamSlots {
  private total = 0
  private readonly byClient = new Map<string, number>()

  constructor(private readonly limits: Pick<StreamLimits, "maxStreams" | "maxStreamsPerClient">) {}

  take(client: string): Slot {
    const mine = this.byClient.get(client) ?? 0
    if (this.total >= this.limits.maxStreams) return { _tag: "TooManyStreams" }
    if (mine >= this.limits.maxStreamsPerClient) return { _tag: "TooManyStreamsForClient" }
    this.total++
    this.byClient.set(client, mine + 1)
    let released = false
    return {
      _tag: "Taken",
      release: () => {
        if (released) return
        released = true
        this.total--
        const left = (this.byClient.get(client) ?? 1) - 1
        if (left === 0) this.byClient.delete(client)
        else this.byClient.set(client, left)
      }
    }
  }
}

/**
 * Writes one client's stream: what the hub hands it, a heartbeat comment
 * when nothing was written for a while, and the end — when the client goes,
 * the server shuts down, the stream stays idle past its limit, or the client
 * reads too slowly to keep up.
 */
export const followStream = async (options: {
  readonly hub: EventHub
  readonly stream: SSEStreamingApi
  readonly limits: StreamLimits
  readonly subscription: { readonly query: EventStreamQuery; readonly start: StreamStart }
  readonly stop: AbortSignal
}): Promise<void> => {
  const { stream, limits } = options
  const queue: Array<StreamMessage> = []
  let ended: { readonly last: StreamMessage | undefined } | undefined
  let overflowed = false
  let wake: (() => void) | undefined
  const notify = () => wake?.()

  const leave = options.hub.subscribe({
    ...options.subscription,
    deliver: (message) => {
      if (queue.length >= limits.maxQueued) overflowed = true
      else queue.push(message)
      notify()
    },
    end: (last) => {
      ended = { last }
      notify()
    }
  })
  stream.onAbort(notify)
  options.stop.addEventListener("abort", notify, { once: true })

  let lastWrite = Date.now()
  let lastEvent = lastWrite
  try {
    while (!stream.aborted && !options.stop.aborted) {
      const message = queue.shift()
      if (message !== undefined) {
        await stream.writeSSE(message)
        lastWrite = Date.now()
        if (message.event !== "ready") lastEvent = lastWrite
        continue
      }
      if (overflowed) {
        await stream.writeSSE({ event: "error", data: JSON.stringify(refusalBody("StreamFellBehind")) })
        return
      }
      if (ended !== undefined) {
        if (ended.last !== undefined) await stream.writeSSE(ended.last)
        return
      }
      const now = Date.now()
      if (now - lastEvent >= limits.idleMillis) return
      if (now - lastWrite >= limits.heartbeatMillis) {
        await stream.write(": heartbeat\n\n")
        lastWrite = Date.now()
        continue
      }
      const waitMillis = Math.min(limits.heartbeatMillis - (now - lastWrite), limits.idleMillis - (now - lastEvent))
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMillis)
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      wake = undefined
    }
  } finally {
    options.stop.removeEventListener("abort", notify)
    leave()
  }
}
