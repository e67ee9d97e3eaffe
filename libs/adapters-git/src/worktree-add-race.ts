import { Effect, Schedule } from "effect"
import type { GitCommandFailed, GitNotFound } from "./git-client"

/**
 * `git worktree add` makes the worktree's registration (`.git/worktrees/<name>`)
 * a moment before it locks it against pruning; a `git worktree prune` by
 * another process in that moment (another spawn, a kill) deletes it, and the
 * add fails naming a file in there. git removes what it had made, so trying
 * again is safe.
 */
export const prunedMidAdd = (failure: GitCommandFailed | GitNotFound): boolean =>
  failure._tag === "GitCommandFailed" && /\.git\/worktrees\//.test(failure.stderr)

export const retryWhenPrunedMidAdd = <A, R>(
  add: Effect.Effect<A, GitCommandFailed | GitNotFound, R>
): Effect.Effect<A, GitCommandFailed | GitNotFound, R> =>
  Effect.retry(add, { times: 4, while: prunedMidAdd, schedule: Schedule.jittered(Schedule.exponential("10 millis")) })
