import { Context, type Effect } from "effect"
import type { ReactionKind } from "../watch/reaction-settings"

/** What a person is told: the event, as every notifier carries it (webhook JSON, command stdin, desktop text). */
export interface Notification {
  readonly kind: ReactionKind
  readonly sessionId: string
  readonly projectId: string
  readonly trigger: string
  readonly title: string
  readonly text: string
  readonly url: string | null
  readonly escalated: boolean
  /** ISO 8601. */
  readonly at: string
}

/** How one notifier fared; `skipped` when it cannot run here (no notify-send, …). */
export interface NotifierOutcome {
  readonly notifier: string
  readonly result: "delivered" | "failed" | "skipped"
  readonly detail: string
}

/** A configured notifier that cannot work on this machine, and what to do about it (for `ao doctor`). */
export interface NotifierProblem {
  readonly notifier: string
  readonly detail: string
  readonly fix: string
}

/**
 * Tells people. Never fails: each configured notifier reports its outcome,
 * and a failing one (after its retries) never stops the watcher.
 */
export class Notifier extends Context.Tag("@ao/domain/Notifier")<
  Notifier,
  {
    readonly notify: (notification: Notification) => Effect.Effect<ReadonlyArray<NotifierOutcome>>
    /** Configured notifiers that would be skipped here (a desktop notifier with no program to show it). */
    readonly problems: Effect.Effect<ReadonlyArray<NotifierProblem>>
  }
>() {}

/** Delivered to at least one notifier (or none is configured, which a pass reports). */
export const anyDelivered = (outcomes: ReadonlyArray<NotifierOutcome>): boolean =>
  outcomes.some((outcome) => outcome.result === "delivered")
