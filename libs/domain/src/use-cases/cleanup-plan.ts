import { DateTime, Effect, Option } from "effect"
import { Lookup } from "../ports/lookup"
import { SessionStore } from "../ports/session-store"
import { type CleanupDecision, cleanupDecision } from "../rules/cleanup-criteria"
import { observedStatus } from "../rules/observed-status"
import type { PullRequest } from "../session"
import { isTerminal } from "../status"
import { brokenRecords, idleAfterOf, readableSessions } from "./list-sessions"
import { projectOf, projectsInScope } from "./project-scope"
import type { CleanupCandidate, CleanupPlan, SessionNote } from "./results"
import { runtimeIndexOf, runtimeUnknownText } from "./runtime-index"
import { foundValue, issueLookups, lookupWarnings, pullRequestLookups, uncheckedBy } from "./tracker-lookups"

/**
 * `ao session cleanup` (and `--dry-run`), first half: reads only. Fresh PR and
 * issue state, batched per project, and one runtime listing decide which
 * sessions are complete and why.
 */
export const planCleanup = Effect.fn("Cleanup.plan")(function* (query: { readonly projectId?: string }) {
  const projects = yield* projectsInScope(query.projectId)
  const store = yield* SessionStore
  const stored = yield* store.list({ ...query, includeEnded: false })
  const runtime = yield* runtimeIndexOf([
    ...readableSessions(stored),
    ...brokenRecords(stored).map((record) => ({ runtimeHandle: record.salvage.runtimeHandle ?? record.id }))
  ])
  const checkedAt = yield* DateTime.now
  const sessions = readableSessions(stored).map((session) => {
    const presence = runtime.presence(session.runtimeHandle, session.runtimeServer)
    return {
      session,
      unknown: presence._tag === "Unknown" ? presence.reason : undefined,
      observed: observedStatus(
        session,
        runtime.find(session.runtimeHandle, session.runtimeServer),
        checkedAt,
        idleAfterOf(projectOf(projects, session.projectId))
      )
    }
  })
  // Skipped sessions are not worth a request to the code host.
  const open = sessions.filter(({ observed }) => !isTerminal(observed.status)).map(({ session }) => session)
  const prs = yield* pullRequestLookups(projects, open, "fresh")
  const issues = yield* issueLookups(projects, open)

  const candidates: Array<CleanupCandidate> = []
  const skipped: Array<SessionNote> = []
  const unverified: Array<SessionNote> = []
  const decide = (
    id: string,
    projectId: Option.Option<string>,
    decision: CleanupDecision,
    pr: Option.Option<PullRequest> = Option.none()
  ) => {
    switch (decision._tag) {
      case "Clean":
        // Cleaned on what is known, and still reported for what could not be checked.
        if (Option.isSome(decision.couldNotCheck)) unverified.push({ id, reason: decision.couldNotCheck.value })
        return candidates.push({ id, projectId, criteria: decision.criteria, pr })
      case "Skip":
        return skipped.push({ id, reason: decision.reason })
      case "Unverified":
        return unverified.push({ id, reason: decision.reason })
      case "Keep":
        return undefined
    }
  }
  for (const { observed, session, unknown } of sessions) {
    // Its agent may be running on a server that could not be asked: nothing is removed on a guess.
    if (unknown !== undefined && !isTerminal(observed.status)) {
      unverified.push({ id: session.id, reason: `kept: ${runtimeUnknownText(unknown)}` })
      continue
    }
    decide(
      session.id,
      Option.some(session.projectId),
      cleanupDecision({
        _tag: "Readable",
        status: observed.status,
        runtimeAlive: observed.runtimeAlive,
        pr: prs.get(session.id) ?? Lookup.absent(),
        issue: issues.get(session.id) ?? Lookup.absent()
      }),
      Option.flatMap(Option.fromNullable(prs.get(session.id)), foundValue)
    )
  }
  for (const record of brokenRecords(stored)) {
    decide(
      record.id,
      Option.fromNullable(record.salvage.projectId),
      cleanupDecision({
        _tag: "Broken",
        record,
        runtimeAlive: Option.isSome(runtime.find(record.salvage.runtimeHandle ?? record.id))
      })
    )
  }
  const warnings = lookupWarnings(
    open.map((session) => ({
      session,
      unchecked: [...uncheckedBy("pr", prs.get(session.id)), ...uncheckedBy("issue", issues.get(session.id))]
    }))
  )
  return { checkedAt, candidates, skipped, unverified, warnings } satisfies CleanupPlan
})
