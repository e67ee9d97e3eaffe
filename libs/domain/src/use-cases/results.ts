import type { DateTime, Duration, Option } from "effect"
import type { NonEmptyReadonlyArray } from "effect/Array"
import type { DomainError } from "../errors"
import type { BrokenSessionRecord, SupersededSession } from "../ports/session-store"
import type { IssueInfo } from "../ports/tracker"
import type { BranchState } from "../ports/workspace"
import type { AgentKey } from "../rules/agent-input"
import type { Activity } from "../rules/activity-state"
import type { CleanupCriterion } from "../rules/cleanup-criteria"
import type { PullRequest, Session } from "../session"
import type { SessionStatus } from "../status"

/**
 * What the use cases return: every frontend (CLI text, `--json`, HTTP) renders
 * these, so they carry the decisions and their reasons, not formatted text.
 */

/** What an outside lookup was about: a session's pull request or its issue. */
export type LookupSubject = "pr" | "issue"

/** A lookup that could not answer (GitHub unreachable, a bad token, …), and why. */
export interface UncheckedLookup {
  readonly about: LookupSubject
  readonly reason: string
}

/**
 * What a command could not find out for some sessions, and why: the command
 * still did its job without it, and says so (stderr, `--json`).
 */
export interface LookupWarning {
  readonly about: LookupSubject
  readonly projectId: string
  readonly sessions: ReadonlyArray<string>
  readonly reason: string
  /**
   * Absent: the lookup could not answer, and `reason` says why. "cleanup-again":
   * it answered that cleanup's criteria still hold (`reason`: "issue 42 is
   * still closed"), so the next cleanup ends the sessions again.
   */
  readonly kind?: "cleanup-again"
}

/** One session as `ls` shows it: the record plus what is observed now. */
export interface SessionView {
  readonly session: Session
  /** The project's display name (its id when it is no longer configured). */
  readonly projectName: string
  /** The live branch, read from the worktree's HEAD. */
  readonly branch: BranchState
  /** The branch as text: the live one, `detached@abc1234`, or the recorded one when the worktree is gone. */
  readonly branchDisplay: string
  /** The observed status (see observedStatus). */
  readonly status: SessionStatus
  /** What the agent is doing, decided from hooks, screen and runtime (see activityState). */
  readonly activity: Activity
  /** The transcript the agent named in its latest hook (see transcriptOf); none for agents that name none. */
  readonly transcript: Option.Option<string>
  /** False is the "runtime dead" marker: the tmux session does not exist. */
  readonly runtimeAlive: boolean
  /** Why its runtime server could not be asked: then `runtimeAlive` is false but nothing says the agent is gone. */
  readonly runtimeUnknown: Option.Option<string>
  /** The later of the record's and the runtime's last activity. */
  readonly lastActivityAt: DateTime.Utc
  /** now − lastActivityAt */
  readonly age: Duration.Duration
  readonly pr: Option.Option<PullRequest>
  /** Lookups that could not answer for this session: what is shown may be out of date. */
  readonly unchecked: ReadonlyArray<UncheckedLookup>
}

export interface SessionList {
  readonly sessions: ReadonlyArray<SessionView>
  /** Unreadable session files: never invisible. */
  readonly broken: ReadonlyArray<BrokenSessionRecord>
  /** Ended (killed, done) sessions left out because `includeEnded` was false. */
  readonly hiddenEnded: number
}

/** One row of `ao status`: the listing plus the issue's state. */
export interface StatusRow extends SessionView {
  readonly issue: Option.Option<IssueInfo>
  /** The agent's last message in its transcript, as one line; none without a transcript. */
  readonly summary: Option.Option<string>
}

export interface StatusReport {
  readonly rows: ReadonlyArray<StatusRow>
  readonly broken: ReadonlyArray<BrokenSessionRecord>
}

export interface SpawnResult {
  readonly session: Session
  /** The killed or done record of the same name this spawn started afresh from, kept aside. */
  readonly superseded: Option.Option<SupersededSession>
  /** The branch was there before (an earlier session's, with its commits): the worktree continues on it. */
  readonly branchExisted: boolean
  /** The issue could not be looked up: the session was spawned without its details. */
  readonly warnings: ReadonlyArray<LookupWarning>
}

export interface KillResult {
  readonly id: string
  /** The session was already killed (or done); the run only finished a half-done teardown. */
  readonly alreadyKilled: boolean
  readonly runtimeKilled: boolean
  readonly worktreeRemoved: boolean
  /** Where the uncommitted work was saved; none when the worktree was clean or already gone. */
  readonly snapshotRef: Option.Option<string>
  /** The commit the removed worktree was on. */
  readonly head: Option.Option<string>
  /** What was removed without being saved (`--force` only). */
  readonly notSaved: ReadonlyArray<string>
}

export interface CleanupCandidate {
  readonly id: string
  /** None for a broken record that does not name its project. */
  readonly projectId: Option.Option<string>
  readonly criteria: NonEmptyReadonlyArray<CleanupCriterion>
  /** The PR the code host reported, kept on the ended record (`ls --all` still shows it). */
  readonly pr: Option.Option<PullRequest>
}

export interface SessionNote {
  readonly id: string
  readonly reason: string
}

export interface CleanupPlan {
  /** When the facts were checked: a session restored after this is left alone. */
  readonly checkedAt: DateTime.Utc
  readonly candidates: ReadonlyArray<CleanupCandidate>
  /** Sessions cleanup leaves alone by rule (status killed, done or exited). */
  readonly skipped: ReadonlyArray<SessionNote>
  /**
   * Sessions whose PR or issue could not be looked up ("could not check: …"),
   * including candidates cleaned on another criterion (a dead runtime).
   */
  readonly unverified: ReadonlyArray<SessionNote>
  /** The lookups that could not answer, one per project, subject and reason. */
  readonly warnings: ReadonlyArray<LookupWarning>
}

export interface CleanedSession {
  readonly id: string
  readonly criteria: NonEmptyReadonlyArray<CleanupCriterion>
  readonly snapshotRef: Option.Option<string>
}

export interface CleanupReport {
  readonly cleaned: ReadonlyArray<CleanedSession>
  /** Candidates that no longer qualified when re-checked (restored since the plan, runtime back, …). */
  readonly skipped: ReadonlyArray<SessionNote>
  readonly failed: ReadonlyArray<{ readonly id: string; readonly error: DomainError }>
}

export interface RestoreResult {
  readonly session: Session
  /** The branch the worktree is on now, as text (see branchDisplay): an agent may have switched it. */
  readonly branch: string
  readonly worktreeRecreated: boolean
  readonly snapshotApplied: boolean
  /** The argv that attaches a terminal (`tmux attach -t =ao-int-1234`). */
  readonly attachCommand: ReadonlyArray<string>
  /** A done session whose issue is still closed (or PR merged): the next cleanup ends it again. */
  readonly warnings: ReadonlyArray<LookupWarning>
}

export interface RestoreAllReport {
  readonly restored: ReadonlyArray<RestoreResult>
  readonly failed: ReadonlyArray<{ readonly id: string; readonly error: DomainError }>
}

export interface SendResult {
  readonly id: string
  /**
   * confirmed: the pane showed the message once more than before the paste;
   * unconfirmed: it was typed, but the pane never showed it anew;
   * not-checked: the caller did not wait for confirmation.
   */
  readonly delivery: "confirmed" | "unconfirmed" | "not-checked"
  /** What confirmed it: the agent's hook reporting the prompt taken, or the pane changing after Enter; null when unconfirmed or not checked. */
  readonly confirmedBy: "hook" | "screen" | null
  /** How often Enter was pressed: once, or twice when the first brought no confirmation. */
  readonly enterPresses: number
}

/** `ao logs`: the pane's last lines, oldest first. */
export interface OutputResult {
  readonly id: string
  readonly lines: ReadonlyArray<string>
  readonly ansi: boolean
}

export interface KeyResult {
  readonly id: string
  readonly key: AgentKey
}

export interface AttachTarget {
  readonly id: string
  readonly argv: ReadonlyArray<string>
}
