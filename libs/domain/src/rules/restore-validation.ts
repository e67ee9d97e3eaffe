import { Either, Option } from "effect"
import { SessionAlreadyExists, SessionStillRunning, WorkspaceMissing } from "../errors"
import type { RuntimeSessionInfo } from "../ports/runtime"
import type { Session } from "../session"
import { isEnded } from "../status"

/** What a restore has to do before it starts the agent again. */
export interface RestorePlan {
  /** A tmux session whose agent exited lingers and must go first, so the name is free. */
  readonly killLingeringRuntime: boolean
  /** The worktree is gone and is rebuilt from the branch plus the latest snapshot. */
  readonly recreateWorkspace: boolean
  /**
   * The agent already runs in the session's worktree although the record says
   * killed or done: an earlier restore started it and was interrupted before
   * recording so. Restoring again finishes that restore instead of refusing.
   */
  readonly adoptRunningRuntime: boolean
}

/**
 * Spec "Restore Errors": a running session is refused; a missing worktree is
 * refused unless the user asked to recreate it (which is also the only way
 * back for a killed or done session, whose worktree was removed). An ended
 * session whose agent runs in its own worktree is the one exception to the
 * first rule: only an interrupted restore leaves that, and it is finished.
 */
export const restoreValidation = (input: {
  readonly session: Session
  readonly runtime: Option.Option<RuntimeSessionInfo>
  readonly workspaceExists: boolean
  readonly recreate: boolean
}): Either.Either<RestorePlan, SessionStillRunning | WorkspaceMissing | SessionAlreadyExists> => {
  const { session, runtime } = input
  // What the hints need to spell out the spawn that starts the same work afresh.
  const origin = { id: session.id, projectId: session.projectId, issueId: Option.getOrUndefined(session.issueId) }
  // ao starts every session's tmux session in its worktree: one elsewhere is a stranger's holding the name.
  if (Option.isSome(runtime) && runtime.value.path !== session.workspacePath) {
    return Either.left(new SessionAlreadyExists({ id: session.runtimeHandle, heldBy: "tmux", path: runtime.value.path }))
  }
  if (Option.isSome(runtime) && !runtime.value.paneDead) {
    const interruptedRestore =
      isEnded(session.status) && input.workspaceExists && runtime.value.path === session.workspacePath
    return interruptedRestore
      ? Either.right({ killLingeringRuntime: false, recreateWorkspace: false, adoptRunningRuntime: true })
      : Either.left(new SessionStillRunning(origin))
  }
  if (!input.workspaceExists && !input.recreate) {
    return Either.left(new WorkspaceMissing({ ...origin, path: session.workspacePath }))
  }
  return Either.right({
    killLingeringRuntime: Option.isSome(runtime),
    recreateWorkspace: !input.workspaceExists,
    adoptRunningRuntime: false
  })
}
