import { DateTime, Option } from "effect"
import type { ActivityState } from "../activity"
import type { IssueInfo } from "../ports/tracker"
import type { ProjectId } from "../project"
import type { FailingCheck, ObservedSession, ReviewedPullRequest } from "./observation"
import { FINAL_OUTCOMES, ledgerKey, type LedgerEntry } from "./reaction-ledger-entry"
import type { MergeMethod, ReactionKind, ReactionSettings } from "./reaction-settings"

/**
 * The watcher's pure rule: from what a pass observed and what the ledger
 * remembers, the reactions to carry out now. Every reaction is keyed by
 * session, kind and trigger (a head SHA, a review id, a comment id, a base
 * SHA, the start of a state), so the same trigger never reacts twice.
 */

/** Text only reaches an agent whose turn is over; mid-turn it would land in the middle of its work. */
export const READY_FOR_TEXT: ReadonlyArray<ActivityState> = ["idle", "waiting"]

/** What goes to the agent now, later, or not at all. */
export type Delivery = "send" | "queue" | "none"

export interface PlannedReaction {
  readonly sessionId: string
  readonly projectId: ProjectId
  readonly kind: ReactionKind
  readonly trigger: string
  /** Why, in words: "CI failed on abc1234: test, lint". */
  readonly reason: string
  /** The message for the agent or the person, control characters removed. */
  readonly text: string
  readonly url: Option.Option<string>
  readonly delivery: Delivery
  readonly notify: boolean
  /** Sent `escalateAfter` times already: a person is told instead. */
  readonly escalated: boolean
  readonly merge: Option.Option<{ readonly method: MergeMethod; readonly number: number; readonly headSha: string }>
  readonly cleanup: boolean
  /** 1 for the first try; more after failed deliveries. */
  readonly attempt: number
  /** ci-failed: the failing checks, whose logs are fetched when the message is sent. */
  readonly failingChecks: ReadonlyArray<FailingCheck>
}

interface Trigger {
  readonly kind: ReactionKind
  readonly trigger: string
  readonly reason: string
  readonly details: string
  readonly pr: Option.Option<ReviewedPullRequest>
  /** Where to read about it when there is no PR (a closed issue). */
  readonly url?: string
}

/** Longest log excerpt per failing check, and longest message, in characters. */
export const LOG_EXCERPT_CHARS = 1500
export const MESSAGE_CHARS = 6000

/** ANSI sequences dropped whole, other control characters (but line breaks and tabs) dropped. */
export const plainText = (text: string): string =>
  text
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "")

export const clipTo = (text: string, limit: number): string => (text.length <= limit ? text : `${text.slice(0, limit - 1)}…`)

export const tailOf = (text: string, limit: number): string => (text.length <= limit ? text : `…${text.slice(text.length - limit + 1)}`)

const short = (sha: string) => sha.slice(0, 7)

const seconds = (from: DateTime.Utc, now: DateTime.Utc) => Math.floor(DateTime.distance(from, now) / 1000)

const prTriggers = (pr: ReviewedPullRequest): ReadonlyArray<Trigger> => {
  const found = Option.some(pr)
  const triggers: Array<Trigger> = []
  if (pr.state === "merged") {
    return [{ kind: "pr-merged", trigger: `pr-${pr.number}`, reason: `PR #${pr.number} was merged`, details: pr.url, pr: found }]
  }
  if (pr.state !== "open") return []
  if (pr.checks === "failure") {
    const names = pr.failingChecks.map((check) => check.name)
    triggers.push({
      kind: "ci-failed",
      trigger: pr.headSha,
      reason: `CI failed on ${short(pr.headSha)}: ${names.join(", ") || "a check"}`,
      details: pr.failingChecks
        .map((check) =>
          [`- ${check.name}: ${check.url}`, ...(check.logExcerpt === undefined ? [] : [tailOf(check.logExcerpt, LOG_EXCERPT_CHARS)])].join("\n")
        )
        .join("\n"),
      pr: found
    })
  }
  for (const review of pr.changeRequests) {
    triggers.push({
      kind: "changes-requested",
      trigger: review.id,
      reason: `${review.author} requested changes on PR #${pr.number}`,
      details: review.body,
      pr: found
    })
  }
  for (const thread of pr.unresolvedThreads) {
    const where = thread.line === null ? thread.path : `${thread.path}:${thread.line}`
    triggers.push({
      kind: "review-comment",
      trigger: thread.commentId,
      reason: `${thread.author} commented on ${where}`,
      details: `${where} (${thread.author}): ${thread.body}`,
      pr: found
    })
  }
  if (pr.mergeable === "conflicting") {
    triggers.push({
      kind: "merge-conflicts",
      trigger: pr.baseSha,
      reason: `PR #${pr.number} conflicts with ${pr.baseRef} at ${short(pr.baseSha)}`,
      details: pr.baseRef,
      pr: found
    })
  }
  const green = pr.checks === "success" || pr.checks === "none"
  if (pr.reviewDecision === "approved" && green && pr.mergeable !== "conflicting") {
    triggers.push({
      kind: "approved-and-green",
      trigger: pr.headSha,
      reason: `PR #${pr.number} is approved and its checks pass at ${short(pr.headSha)}`,
      details: pr.url,
      pr: found
    })
  }
  return triggers
}

const CLOSED_BECAUSE: Readonly<Record<NonNullable<IssueInfo["stateReason"]>, string>> = {
  completed: "as completed",
  not_planned: "as not planned",
  duplicate: "as a duplicate"
}

/** A closed issue, once per issue: its session's task is over (or was dropped). */
const issueTriggers = (observed: ObservedSession): ReadonlyArray<Trigger> => {
  const issue = observed.issue
  if (issue?._tag !== "Found" || issue.value.state !== "closed") return []
  const why = issue.value.stateReason === null ? "" : ` ${CLOSED_BECAUSE[issue.value.stateReason]}`
  return [
    {
      kind: "issue-closed",
      trigger: `issue-${issue.value.id}`,
      reason: `issue #${issue.value.id} was closed${why}`,
      details: issue.value.title,
      pr: Option.none(),
      url: issue.value.url
    }
  ]
}

const agentTriggers = (
  observed: ObservedSession,
  settings: ReactionSettings,
  now: DateTime.Utc,
  hasPr: boolean
): ReadonlyArray<Trigger> => {
  const { activity } = observed
  const since = DateTime.formatIso(activity.since)
  const lasted = seconds(activity.since, now)
  const none = Option.none<ReviewedPullRequest>()
  switch (activity.state) {
    case "waiting": {
      const after = settings.rules["agent-waiting"].afterSeconds
      if (lasted < after) return []
      const detail = Option.getOrElse(activity.detail, () => "input")
      return [{ kind: "agent-waiting", trigger: since, reason: `waiting for ${detail} for ${lasted} s`, details: detail, pr: none }]
    }
    case "idle": {
      const after = settings.rules["agent-idle"].afterSeconds
      if (hasPr || lasted < after) return []
      return [{ kind: "agent-idle", trigger: since, reason: `idle for ${Math.floor(lasted / 60)} min with no PR`, details: "", pr: none }]
    }
    case "exited":
      return [{ kind: "agent-exited", trigger: since, reason: `the agent exited: ${activity.reason}`, details: activity.reason, pr: none }]
    default:
      return []
  }
}

const DEFAULT_TEXT: Readonly<Record<ReactionKind, string>> = {
  "ci-failed": "CI failed on your PR {{pr}} ({{url}}). Failing checks:\n{{details}}\nPlease fix them and push.",
  "changes-requested": "A reviewer requested changes on your PR {{pr}}:\n{{details}}\nPlease address them and push.",
  "review-comment": "New review comment on your PR {{pr}}:\n{{details}}\nPlease address it and push.",
  "merge-conflicts": "Your PR {{pr}} has merge conflicts with {{details}}. Please merge {{details}} into your branch, resolve the conflicts and push.",
  "approved-and-green": "{{session}}: PR {{pr}} is approved and green: {{url}}",
  "agent-waiting": "{{session}} is waiting: {{reason}}",
  "agent-idle": "{{session}} is {{reason}}",
  "agent-exited": "{{session}}: {{reason}}",
  "pr-merged": "{{session}}: PR {{pr}} was merged: {{url}}",
  "issue-closed": "{{session}}: {{reason}}: {{url}}"
}

const render = (template: string, values: Readonly<Record<string, string>>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole)

export interface PlanInput {
  readonly now: DateTime.Utc
  readonly sessions: ReadonlyArray<ObservedSession>
  readonly ledger: ReadonlyArray<LedgerEntry>
  readonly settingsOf: (projectId: string) => ReactionSettings
}

/** Reactions to carry out now, in order per session: at most one text per agent per pass, the rest queued. */
export const planReactions = (input: PlanInput): ReadonlyArray<PlannedReaction> => {
  const byKey = new Map(input.ledger.map((entry) => [ledgerKey(entry), entry] as const))
  const planned: Array<PlannedReaction> = []
  for (const observed of input.sessions) {
    const { session } = observed
    const settings = input.settingsOf(session.projectId)
    const pr = observed.pr._tag === "Found" ? Option.some(observed.pr.value) : Option.none()
    const hasPr = Option.isSome(pr) || Option.isSome(session.pr) || observed.pr._tag === "Unknown"
    const triggers = [
      ...Option.match(pr, { onNone: () => [], onSome: prTriggers }),
      ...issueTriggers(observed),
      ...agentTriggers(observed, settings, input.now, hasPr)
    ]
    let textGiven = false
    // One cleanup per session: a merged PR and a closed issue in one pass remove it once.
    let cleanupGiven = false
    for (const trigger of triggers) {
      const rule = settings.rules[trigger.kind]
      if (!rule.enabled) continue
      const key = { sessionId: session.id, kind: trigger.kind, trigger: trigger.trigger }
      const prior = byKey.get(ledgerKey(key))
      if (prior !== undefined && FINAL_OUTCOMES.includes(prior.outcome)) continue
      const failedAttempts = prior?.outcome === "failed" ? prior.attempts : 0
      if (failedAttempts > rule.retries) continue
      const sentBefore = input.ledger.filter(
        (entry) => entry.sessionId === session.id && entry.kind === trigger.kind && entry.outcome === "sent"
      ).length
      const wantsText = rule.action !== "notify"
      const escalated = wantsText && Option.exists(rule.escalateAfter, (limit) => sentBefore >= limit)
      const ready = READY_FOR_TEXT.includes(observed.activity.state)
      const delivery: Delivery = !wantsText || escalated ? "none" : ready && !textGiven ? "send" : "queue"
      if (delivery !== "none") textGiven = true
      const prNumber = Option.match(trigger.pr, { onNone: () => "", onSome: (found) => `#${found.number}` })
      const url = Option.orElse(
        Option.map(trigger.pr, (found) => found.url),
        () => Option.fromNullable(trigger.url)
      )
      const values = {
        session: session.id,
        project: session.projectId,
        kind: trigger.kind,
        pr: prNumber,
        url: Option.getOrElse(url, () => ""),
        reason: trigger.reason,
        details: trigger.details,
        trigger: trigger.trigger
      }
      const body = render(Option.getOrElse(rule.message, () => DEFAULT_TEXT[trigger.kind]), values)
      const text = clipTo(
        plainText(
          escalated
            ? `${session.id}: ${trigger.reason}. Not sent to the agent: it already had ${sentBefore} such messages. A person is needed.\n${body}`
            : body
        ),
        MESSAGE_CHARS
      )
      const merge =
        trigger.kind === "approved-and-green"
          ? Option.flatMap(trigger.pr, (found) =>
              found.checks === "pending"
                ? Option.none()
                : Option.map(settings.autoMerge, (method) => ({ method, number: found.number, headSha: found.headSha }))
            )
          : Option.none()
      const cleans = (trigger.kind === "pr-merged" || trigger.kind === "issue-closed") && settings.autoCleanup && !cleanupGiven
      if (cleans) cleanupGiven = true
      planned.push({
        ...key,
        projectId: session.projectId,
        reason: trigger.reason,
        text,
        url,
        delivery,
        notify: escalated || rule.action !== "send",
        escalated,
        merge,
        cleanup: cleans,
        failingChecks: trigger.kind === "ci-failed" ? Option.match(trigger.pr, { onNone: () => [], onSome: (found) => found.failingChecks }) : [],
        attempt: failedAttempts + 1
      })
    }
  }
  return planned
}
