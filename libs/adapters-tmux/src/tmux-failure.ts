import type { TmuxFailed } from "./tmux-client"

/**
 * What a failed tmux command means, read from its stderr. tmux prints these
 * in the C locale (it only localises character types and time).
 */
export type TmuxFailureKind = "NoServer" | "Unreachable" | "NoSuchSession" | "DuplicateSession" | "Other"

const NO_SERVER = [
  /^no server running on /m,
  /^error connecting to .* \(No such file or directory\)$/m,
  // The server was exiting (its last session just ended) while we talked to it.
  /^server exited( unexpectedly)?$/m
]
const NO_SUCH_SESSION = [
  /^can't find (session|window|pane)/m,
  /^no such (session|window|pane)/m,
  // What an exiting server with no sessions left answers to any target.
  /^no current target$/m
]
const DUPLICATE_SESSION = /^duplicate session: /m
/** Something is at the socket but could not be asked: permission denied, or no answer in time. */
const UNREACHABLE = [/^error connecting to /m, /timed out after/]

export const tmuxFailureKind = (failure: TmuxFailed): TmuxFailureKind => {
  if (NO_SERVER.some((pattern) => pattern.test(failure.stderr))) return "NoServer"
  if (NO_SUCH_SESSION.some((pattern) => pattern.test(failure.stderr))) return "NoSuchSession"
  if (DUPLICATE_SESSION.test(failure.stderr)) return "DuplicateSession"
  if (UNREACHABLE.some((pattern) => pattern.test(failure.stderr))) return "Unreachable"
  return "Other"
}

/** The session is not there: no server at all, or no session by that exact name. */
export const isSessionAbsent = (failure: TmuxFailed): boolean => {
  const kind = tmuxFailureKind(failure)
  return kind === "NoServer" || kind === "NoSuchSession"
}
