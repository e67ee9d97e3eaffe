import { readFileSync } from "node:fs"

/**
 * Who holds a lock: a pid alone is not enough, because a crashed holder's pid
 * can be reused by another process. Where the OS exposes it (Linux /proc), the
 * process start time (in clock ticks since boot) tells the two apart.
 */
export interface ProcessIdentity {
  readonly pid: number
  readonly startTicks: string | null
}

const startTicksOf = (pid: number): string | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    // The command name (field 2) may contain spaces; fields after its closing paren are plain.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return fields[19] ?? null
  } catch {
    return null
  }
}

export const currentProcess = (): ProcessIdentity => ({ pid: process.pid, startTicks: startTicksOf(process.pid) })

/** Whether the process that wrote `identity` is still running. */
export const isAlive = (identity: ProcessIdentity): boolean => {
  try {
    process.kill(identity.pid, 0)
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false
  }
  if (identity.startTicks === null) return true
  const startTicks = startTicksOf(identity.pid)
  return startTicks === null || startTicks === identity.startTicks
}
