import { DateTime, Effect, Option } from "effect"
import type { SessionEventKind } from "../events"
import { CodeReview, type RateLimit } from "../ports/code-review"
import { ActivityLog } from "../ports/activity-log"
import { Lookup } from "../ports/lookup"
import { anyDelivered, Notifier, type NotifierOutcome } from "../ports/notifier"
import { ReactionLedger } from "../ports/reaction-ledger"
import { SessionStore } from "../ports/session-store"
import { WatchLease, type WatchHolder } from "../ports/watch-lease"
import type { IssueInfo } from "../ports/tracker"
import type { Project } from "../project"
import { activityState } from "../rules/activity-state"
import type { Session } from "../session"
import { isTerminal } from "../status"
import type { ObservedSession, ReviewedPullRequest } from "../watch/observation"
import { ledgerKey, LedgerEntry, type ReactionOutcome } from "../watch/reaction-ledger-entry"
import { clipTo, LOG_EXCERPT_CHARS, MESSAGE_CHARS, plainText, type PlannedReaction, planReactions, tailOf } from "../watch/reaction-plan"
import { reactionSettingsFrom } from "../watch/reaction-settings"
import { killSession } from "./kill-session"
import { idleAfterOf, readableSessions } from "./list-sessions"
import { projectOf, projectsInScope } from "./project-scope"
import { recordEvent } from "./record-event"
import { runtimeIndex } from "./runtime-index"
import { sendMessage } from "./send-message"

/** What one reaction came to in this pass. */
export interface AppliedReaction {
  readonly reaction: PlannedReaction
  readonly outcome: ReactionOutcome
  readonly detail: string
  readonly notifiers: ReadonlyArray<NotifierOutcome>
}

export interface WatchPassReport {
  readonly at: DateTime.Utc
  readonly sessions: number
  readonly reactions: ReadonlyArray<AppliedReaction>
  /** PRs that could not be read (their sessions' PR reactions wait for the next pass). */
  readonly warnings: ReadonlyArray<string>
  readonly rateLimit: Option.Option<RateLimit>
}

const EVENT_OF: Readonly<Record<ReactionOutcome, SessionEventKind>> = {
  sent: "reaction-sent",
  notified: "notified",
  escalated: "escalated",
  merged: "auto-merged",
  cleaned: "cleaned",
  queued: "reaction-queued",
  failed: "reaction-failed",
  "gave-up": "reaction-failed"
}

/** Every active session with its shown state and its PR as the code host has it now. */
const observeFleet = Effect.fn("Watch.observe")(function* (projects: ReadonlyArray<Project>, projectId: string | undefined) {
  const store = yield* SessionStore
  const stored = yield* store.list({ ...(projectId === undefined ? {} : { projectId }), includeEnded: false })
  const sessions = readableSessions(stored).filter((session) => !isTerminal(session.status))
  const runtime = yield* runtimeIndex
  const activityLog = yield* ActivityLog
  const codeReview = yield* CodeReview
  const now = yield* DateTime.now
  let rateLimit = Option.none<RateLimit>()
  const prs = new Map<string, Lookup<ReviewedPullRequest>>()
  const issues = new Map<string, Lookup<IssueInfo>>()
  for (const project of projects) {
    const mine = sessions.filter((session) => session.projectId === project.id)
    if (mine.length === 0) continue
    if (Option.isSome(rateLimit)) {
      for (const session of mine) prs.set(session.id, Lookup.unknown(rateLimit.value.detail))
      continue
    }
    // The issue is read with the PR only where the code host is also the tracker.
    const tracked = project.tracker === "github"
    const queries = mine.map((session) => ({
      sessionId: session.id,
      branch: session.branch,
      url: Option.map(session.pr, (pr) => pr.url),
      issueId: tracked ? session.issueId : Option.none()
    }))
    const answer = yield* Effect.either(codeReview.observe(project, queries))
    if (answer._tag === "Left") {
      rateLimit = Option.some(answer.left)
      for (const session of mine) prs.set(session.id, Lookup.unknown(answer.left.detail))
    } else {
      for (const [id, work] of answer.right) {
        prs.set(id, work.pr)
        issues.set(id, work.issue)
      }
    }
  }
  const observed = yield* Effect.forEach(sessions, (session) =>
    Effect.map(
      activityLog.recent(session.id),
      (reports): ObservedSession => ({
        session,
        activity: activityState({
          session,
          runtime: runtime.find(session.runtimeHandle),
          reports,
          now,
          idleAfter: idleAfterOf(projectOf(projects, session.projectId))
        }),
        // A session whose project left the config has nobody to ask: no evidence.
        pr: prs.get(session.id) ?? Lookup.unknown("its project is not configured"),
        issue: issues.get(session.id) ?? Lookup.absent()
      })
    )
  )
  return { now, observed, rateLimit }
})

const describeFailure = (error: unknown): string =>
  typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
    ? error.message
    : String(error)

/** Failing jobs whose logs are fetched per message: the rest are named with their URLs only. */
const LOGS_PER_MESSAGE = 3

/**
 * The end of each failing job's log, fetched only now that the message is
 * sent (once per head SHA), so a pass costs no log request for a failure
 * already reported.
 */
const withLogExcerpts = Effect.fn("Watch.logExcerpts")(function* (reaction: PlannedReaction, project: Project) {
  const codeReview = yield* CodeReview
  const checks = reaction.failingChecks.filter((check) => check.logId !== undefined).slice(0, LOGS_PER_MESSAGE)
  const excerpts = yield* Effect.forEach(checks, (check) =>
    Effect.map(codeReview.jobLog(project, check.logId ?? ""), (log) =>
      Option.map(log, (text) => `Log of ${check.name} (last lines):\n${tailOf(plainText(text).trimEnd(), LOG_EXCERPT_CHARS)}`)
    )
  )
  const found = excerpts.flatMap(Option.toArray)
  return found.length === 0 ? reaction.text : clipTo(`${reaction.text}\n\n${found.join("\n\n")}`, MESSAGE_CHARS)
})

/** Carries out one planned reaction: text first, then people, then the merge or cleanup. */
const applyReaction = Effect.fn("Watch.apply")(function* (reaction: PlannedReaction, session: Session, project: Option.Option<Project>) {
  const notifier = yield* Notifier
  const codeReview = yield* CodeReview
  if (reaction.delivery === "queue") {
    return { outcome: "queued", detail: "the agent is busy; sent when it is idle or waiting", notifiers: [] } as const
  }
  const done: Array<string> = []
  if (reaction.delivery === "send") {
    const text = reaction.kind === "ci-failed" && Option.isSome(project) ? yield* withLogExcerpts(reaction, project.value) : reaction.text
    const sent = yield* Effect.either(sendMessage(session.id, text))
    if (sent._tag === "Left") return { outcome: "failed", detail: `not sent: ${describeFailure(sent.left)}`, notifiers: [] } as const
    done.push(`sent to the agent (${sent.right.delivery})`)
  }
  let notifiers: ReadonlyArray<NotifierOutcome> = []
  if (reaction.notify) {
    notifiers = yield* notifier.notify({
      kind: reaction.kind,
      sessionId: reaction.sessionId,
      projectId: reaction.projectId,
      trigger: reaction.trigger,
      title: `${reaction.escalated ? "Escalated: " : ""}${reaction.sessionId}: ${reaction.reason}`,
      text: reaction.text,
      url: Option.getOrNull(reaction.url),
      escalated: reaction.escalated,
      at: DateTime.formatIso(yield* DateTime.now)
    })
    const failedAll = notifiers.length > 0 && !anyDelivered(notifiers) && notifiers.some((outcome) => outcome.result === "failed")
    if (failedAll && reaction.delivery !== "send") {
      return { outcome: "failed", detail: "no notifier delivered", notifiers } as const
    }
    done.push(notifiers.length === 0 ? "no notifier configured" : `notified (${notifiers.map((o) => `${o.notifier}: ${o.result}`).join(", ")})`)
  }
  if (Option.isSome(reaction.merge) && Option.isSome(project)) {
    const merged = yield* Effect.either(codeReview.merge(project.value, reaction.merge.value))
    if (merged._tag === "Left") {
      const why = merged.left._tag === "RateLimited" ? merged.left.detail : merged.left.reason
      return { outcome: "failed", detail: `not merged: ${why}`, notifiers } as const
    }
    return { outcome: "merged", detail: [...done, `merged by ${reaction.merge.value.method}`].join("; "), notifiers } as const
  }
  if (reaction.cleanup) {
    const killed = yield* Effect.either(killSession(session.id))
    if (killed._tag === "Left") return { outcome: "failed", detail: `not cleaned up: ${describeFailure(killed.left)}`, notifiers } as const
    const saved = Option.match(killed.right.snapshotRef, { onNone: () => "", onSome: (ref) => ` (work saved in ${ref})` })
    return { outcome: "cleaned", detail: [...done, `session removed${saved}`].join("; "), notifiers } as const
  }
  const outcome: ReactionOutcome = reaction.escalated ? "escalated" : reaction.delivery === "send" ? "sent" : "notified"
  return { outcome, detail: done.join("; "), notifiers } as const
})

/**
 * One watch pass, like cleanup's plan/apply: observe the fleet (one code-host
 * request per repository), plan with the pure rule, carry out each reaction,
 * and remember it in the ledger before the next one, so a watcher killed
 * mid-pass repeats nothing it finished.
 */
export const watchPass = Effect.fn("Watch.pass")(function* (options: { readonly projectId?: string } = {}) {
  const projects = yield* projectsInScope(options.projectId)
  const { now, observed, rateLimit } = yield* observeFleet(projects, options.projectId)
  const ledger = yield* ReactionLedger
  const entries = yield* ledger.entries
  const previous = new Map(entries.map((entry) => [ledgerKey(entry), entry] as const))
  const planned = planReactions({
    now,
    sessions: observed,
    ledger: entries,
    settingsOf: (projectId) => reactionSettingsFrom(Option.getOrUndefined(projectOf(projects, projectId))?.reactions)
  })
  const sessionsById = new Map<string, Session>(observed.map((entry) => [entry.session.id, entry.session] as const))
  const applied: Array<AppliedReaction> = []
  for (const reaction of planned) {
    const session = sessionsById.get(reaction.sessionId)
    if (session === undefined) continue
    const result = yield* applyReaction(reaction, session, projectOf(projects, session.projectId))
    const prior = previous.get(ledgerKey(reaction))
    applied.push({ reaction, ...result })
    // A queued reaction is remembered (and logged) once, not on every pass it waits.
    if (result.outcome === "queued" && prior?.outcome === "queued") continue
    yield* ledger.record(
      new LedgerEntry({
        sessionId: reaction.sessionId,
        kind: reaction.kind,
        trigger: reaction.trigger,
        outcome: result.outcome,
        attempts: result.outcome === "failed" ? reaction.attempt : reaction.attempt - 1,
        at: yield* DateTime.now,
        detail: result.detail
      })
    )
    yield* recordEvent({
      sessionId: reaction.sessionId,
      projectId: reaction.projectId,
      kind: EVENT_OF[result.outcome],
      reason: reaction.reason,
      details: {
        reaction: reaction.kind,
        trigger: reaction.trigger,
        outcome: result.outcome,
        detail: result.detail,
        attempt: String(reaction.attempt)
      }
    })
  }
  return {
    at: now,
    sessions: observed.length,
    reactions: applied,
    warnings: observed.flatMap((entry) => (entry.pr._tag === "Unknown" ? [`${entry.session.id}: ${entry.pr.reason}`] : [])),
    rateLimit
  } satisfies WatchPassReport
})

/** Takes the store's watch lease for `holder`, or says who holds it. */
export const acquireWatchLease = Effect.fn("Watch.lease")(function* (holder: WatchHolder) {
  const lease = yield* WatchLease
  return yield* lease.acquire(holder)
})
