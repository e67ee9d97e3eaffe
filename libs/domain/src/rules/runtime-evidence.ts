/**
 * What a runtime adapter found about a server that did not answer a listing.
 * `socket` is "missing" when nothing is at the address, "refused" when the
 * socket is there but nothing listens on it (left by a server that exited),
 * and "unreachable" when something may listen but could not be asked
 * (permission denied, no answer in time, an unexpected failure).
 */
export interface RuntimeServerEvidence {
  readonly address: string
  /** The recorded server pid, when one was recorded. */
  readonly pid: number | undefined
  readonly socket: "missing" | "refused" | "unreachable"
  /** Whether a process with the recorded pid runs (and, where the system says, is the runtime's server). */
  readonly pidAlive: boolean
  /** What the runtime said, for the user. */
  readonly detail: string
}

/** A server that did not answer is dead only on evidence; otherwise what it holds is unknown. */
export type RuntimeServerVerdict = { readonly _tag: "Dead" } | { readonly _tag: "Unknown"; readonly reason: string }

/**
 * "Runtime dead" needs evidence: nothing listens at the address (no socket,
 * or a socket nobody listens on) AND the recorded server process is gone. A
 * server whose process still runs, or whose socket exists but cannot be
 * asked, is unknown: its sessions may be running, so nothing is judged dead.
 */
export const runtimeServerVerdict = (evidence: RuntimeServerEvidence): RuntimeServerVerdict => {
  const server = `the tmux server at ${evidence.address}${evidence.pid === undefined ? "" : ` (pid ${evidence.pid})`}`
  if (evidence.socket === "unreachable") {
    return { _tag: "Unknown", reason: `${server} could not be asked: ${evidence.detail}` }
  }
  if (evidence.pidAlive) {
    return {
      _tag: "Unknown",
      reason: `${server} does not answer (${evidence.detail}) but its process is still running`
    }
  }
  return { _tag: "Dead" }
}
