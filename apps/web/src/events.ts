/**
 * The tab's one event stream. The browser's EventSource reconnects by itself
 * and sends Last-Event-ID, so nothing is missed; the page never polls.
 */

/** Every event the server names (session event kinds, and `activity` when an agent's state changed). */
const EVENT_NAMES = [
  "spawned",
  "spawn-rolled-back",
  "status-changed",
  "runtime-started",
  "runtime-killed",
  "snapshot-taken",
  "worktree-created",
  "worktree-removed",
  "worktree-recreated",
  "killed",
  "restored",
  "cleaned",
  "message-sent",
  "key-sent",
  "record-discarded",
  "superseded",
  "pr-discovered",
  "activity"
] as const

type Listener = (sessionId: string | undefined) => void

const listeners = new Set<Listener>()
let source: EventSource | undefined

/** Calls `listener` with the session concerned at each event; returns how to stop. */
export const onSessionEvent = (listener: Listener, status: (text: string) => void): (() => void) => {
  listeners.add(listener)
  if (source === undefined) {
    source = new EventSource("/api/events")
    const deliver = (message: MessageEvent<string>) => {
      let sessionId: string | undefined
      try {
        sessionId = (JSON.parse(message.data) as { sessionId?: string }).sessionId
      } catch {
        sessionId = undefined
      }
      for (const each of listeners) each(sessionId)
    }
    for (const name of EVENT_NAMES) source.addEventListener(name, deliver)
    source.addEventListener("open", () => {
      status("live")
      // Whatever happened while disconnected is read afresh.
      for (const each of listeners) each(undefined)
    })
    source.addEventListener("error", () => status(source?.readyState === EventSource.CLOSED ? "disconnected: reload the page" : "reconnecting…"))
  }
  return () => listeners.delete(listener)
}
