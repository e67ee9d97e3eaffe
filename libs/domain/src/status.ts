import { Schema } from "effect"

/**
 * The status vocabulary. A record stores the status of its last transition;
 * `ls` and `status` show what is observed now (see `observedStatus`), so a
 * record saying `working` whose agent sits quiet shows as `idle`.
 */
export const SessionStatus = Schema.Literal("spawning", "working", "idle", "active", "exited", "done", "killed")
export type SessionStatus = typeof SessionStatus.Type

/** What each status means and the observation that produces it. */
export const STATUS_MEANING: Record<SessionStatus, { readonly meaning: string; readonly observedWhen: string }> = {
  spawning: {
    meaning: "the name is reserved and the worktree and tmux session are being created",
    observedWhen: "ao spawn has recorded the reservation and not yet finished"
  },
  working: {
    meaning: "the agent is running and has produced output recently",
    observedWhen: "the tmux pane is alive and its last activity is within the idle threshold"
  },
  idle: {
    meaning: "the agent is running but quiet, likely waiting for input",
    observedWhen: "the tmux pane is alive and has had no activity for longer than the idle threshold"
  },
  active: {
    meaning: "a person is attached to the session and working with the agent",
    observedWhen: "the tmux session has at least one attached client"
  },
  exited: {
    meaning: "the agent process ended on its own; the worktree and tmux session are still there",
    observedWhen: "the tmux pane is dead (the agent command returned)"
  },
  done: {
    meaning: "the work is finished (PR merged or issue closed) and cleanup removed the session",
    observedWhen: "ao session cleanup removed it because its PR merged or its issue closed"
  },
  killed: {
    meaning: "the session was torn down: tmux session killed, worktree removed after a snapshot",
    observedWhen: "ao session kill, or cleanup of a session whose runtime had died"
  }
}

/**
 * Statuses in which the agent no longer works on the task. Cleanup skips
 * them (spec: "Sessions with status killed, done, or exited are skipped").
 */
export const TERMINAL_STATUSES: ReadonlySet<SessionStatus> = new Set(["killed", "done", "exited"])

/** Terminal statuses whose tmux session and worktree are gone: listed only with `--all`. */
export const ENDED_STATUSES: ReadonlySet<SessionStatus> = new Set(["killed", "done"])

export const isTerminal = (status: SessionStatus): boolean => TERMINAL_STATUSES.has(status)
export const isEnded = (status: SessionStatus): boolean => ENDED_STATUSES.has(status)
