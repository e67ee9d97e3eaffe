import { Effect } from "effect"
import { SessionStore } from "../ports/session-store"
import { statusAfter } from "../rules/status-transition"
import { parseSessionName } from "../session-name"
import { isEnded } from "../status"
import type { KillResult } from "./results"
import { markTornDown, sessionTarget, teardown, teardownBroken } from "./teardown"

/**
 * `ao session kill`: under the session's lock, tear down and mark killed.
 * Killing a killed session finishes whatever an interrupted kill left; a
 * broken record is torn down from its salvage so nothing is orphaned. When
 * something in the worktree could not be saved, nothing is touched unless `force`.
 */
export const killSession = Effect.fn("Session.kill")(function* (input: string, options: { readonly force?: boolean } = {}) {
  const force = options.force === true
  const id = yield* parseSessionName(input)
  const store = yield* SessionStore
  const change = statusAfter({ _tag: "Kill" })
  return yield* store.withLock(
    id,
    Effect.gen(function* () {
      const stored = yield* store.inspect(id)
      if (stored._tag === "Broken") {
        const torn = yield* teardownBroken(stored.record, change.statusReason, force)
        return { id, alreadyKilled: false, ...torn } satisfies KillResult
      }
      const session = stored.session
      const alreadyKilled = isEnded(session.status)
      const torn = yield* teardown(sessionTarget(session, change.statusReason, force))
      if (!alreadyKilled) yield* markTornDown(session, change, torn, "killed")
      return { id, alreadyKilled, ...torn } satisfies KillResult
    })
  )
})
