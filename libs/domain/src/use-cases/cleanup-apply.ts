import { Array as Arr, DateTime, Effect, Either, Option } from "effect"
import { Projects } from "../ports/projects"
import { SessionStore } from "../ports/session-store"
import { describeCriteria } from "../rules/cleanup-criteria"
import { observedStatus } from "../rules/observed-status"
import { statusAfter } from "../rules/status-transition"
import type { Session } from "../session"
import { isTerminal } from "../status"
import { idleAfterOf } from "./list-sessions"
import { projectOf } from "./project-scope"
import type { CleanedSession, CleanupCandidate, CleanupPlan, CleanupReport, SessionNote } from "./results"
import { runtimeIndexOf, runtimeUnknownText } from "./runtime-index"
import { markTornDown, sessionTarget, teardown, teardownBroken, vetTeardown } from "./teardown"

type Outcome = { readonly _tag: "Cleaned"; readonly cleaned: CleanedSession } | { readonly _tag: "Skipped"; readonly reason: string }

const skip = (reason: string): Outcome => ({ _tag: "Skipped", reason })

/** Changed since the plan looked at it: restored, or killed and spawned again under the same name. */
const changedSince = (session: Session, checkedAt: DateTime.Utc): boolean =>
  DateTime.greaterThan(session.createdAt, checkedAt) ||
  Option.exists(session.restoredAt, (restoredAt) => DateTime.greaterThan(restoredAt, checkedAt))

/**
 * One candidate, under its lock: re-checked right before acting, because
 * the plan may be minutes old (a dry run read by a person, a restore since).
 */
const cleanCandidate = Effect.fn("Cleanup.candidate")(function* (checkedAt: DateTime.Utc, candidate: CleanupCandidate) {
  const store = yield* SessionStore
  return yield* store.withLock(
    candidate.id,
    Effect.gen(function* () {
      const stored = yield* store.inspect(candidate.id)
      const runtime = yield* runtimeIndexOf(
        stored._tag === "Broken" ? [{ runtimeHandle: stored.record.salvage.runtimeHandle ?? stored.record.id }] : [stored.session]
      )
      if (stored._tag === "Broken") {
        const { record } = stored
        if (Option.isSome(runtime.find(record.salvage.runtimeHandle ?? record.id))) {
          return skip("its runtime is running again")
        }
        const torn = yield* teardownBroken(record, statusAfter({ _tag: "Cleanup", criteria: ["runtime-dead"] }).statusReason)
        return { _tag: "Cleaned", cleaned: { id: record.id, criteria: ["runtime-dead"], snapshotRef: torn.snapshotRef } } satisfies Outcome
      }
      const session = stored.session
      const projects = yield* Effect.flatMap(Projects, (configured) => configured.list)
      const now = yield* DateTime.now
      const presence = runtime.presence(session.runtimeHandle, session.runtimeServer)
      if (presence._tag === "Unknown") return skip(`kept: ${runtimeUnknownText(presence.reason)}`)
      const observed = observedStatus(
        session,
        runtime.find(session.runtimeHandle, session.runtimeServer),
        now,
        idleAfterOf(projectOf(projects, session.projectId))
      )
      if (isTerminal(observed.status)) return skip(`status is now ${observed.status}`)
      if (changedSince(session, checkedAt)) return skip("restored or re-created since the plan")
      const criteria = candidate.criteria.filter((criterion) => criterion !== "runtime-dead" || !observed.runtimeAlive)
      if (!Arr.isNonEmptyReadonlyArray(criteria)) return skip("its runtime is running again")
      const change = statusAfter({ _tag: "Cleanup", criteria })
      const target = sessionTarget(session, change.statusReason)
      // Cleanup never forces: a worktree it may not remove, or whose work it cannot save, keeps its session.
      const vetted = yield* Effect.either(vetTeardown(target))
      if (Either.isLeft(vetted)) return skip(`kept: ${vetted.left.message}`)
      const torn = yield* teardown(target)
      yield* markTornDown(session, change, torn, "cleaned", { criteria: describeCriteria(criteria) }, candidate.pr)
      return { _tag: "Cleaned", cleaned: { id: session.id, criteria, snapshotRef: torn.snapshotRef } } satisfies Outcome
    })
  )
})

/**
 * `ao session cleanup`, second half: each candidate on its own, so one
 * failure never stops the others and the report says exactly what was done.
 */
export const applyCleanup = Effect.fn("Cleanup.apply")(function* (plan: CleanupPlan) {
  const cleaned: Array<CleanedSession> = []
  const skipped: Array<SessionNote> = []
  const failed: Array<CleanupReport["failed"][number]> = []
  for (const candidate of plan.candidates) {
    const outcome = yield* Effect.either(cleanCandidate(plan.checkedAt, candidate))
    if (Either.isLeft(outcome)) failed.push({ id: candidate.id, error: outcome.left })
    else if (outcome.right._tag === "Cleaned") cleaned.push(outcome.right.cleaned)
    else skipped.push({ id: candidate.id, reason: outcome.right.reason })
  }
  return { cleaned, skipped, failed } satisfies CleanupReport
})
