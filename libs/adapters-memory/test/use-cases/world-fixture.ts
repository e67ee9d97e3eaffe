import { type Session, spawnSession } from "@ao/domain"
import { Effect } from "effect"
import { MemoryEventLog } from "../../src/event-log"
import { MemoryTrackerControl } from "../../src/tracker"
import { MemoryWorld, type MemoryWorldOptions, type MemoryWorldServices } from "../../src/world"

/** Runs a test in a fresh in-memory world. */
export const inWorld =
  (options: MemoryWorldOptions = {}) =>
  <A, E>(effect: Effect.Effect<A, E, MemoryWorldServices>): Effect.Effect<A, E> =>
    Effect.provide(effect, MemoryWorld.layer(options))

/** Spawns a session of the GitHub project for an issue the tracker knows. */
export const spawnForIssue = (issueId: string, title = "Fix errors"): Effect.Effect<Session, unknown, MemoryWorldServices> =>
  Effect.gen(function* () {
    yield* Effect.flatMap(MemoryTrackerControl, (tracker) => tracker.setIssue({ id: issueId, title }))
    return (yield* spawnSession({ projectId: "agent-orchestrator", issueId })).session
  })

/** The kinds of the audit events recorded for a session, oldest first. */
export const eventKinds = (sessionId: string) =>
  Effect.map(
    Effect.flatMap(MemoryEventLog, (log) => log.events),
    (events) => events.filter((event) => event.sessionId === sessionId).map((event) => event.kind)
  )
