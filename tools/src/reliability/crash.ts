import type { Sandbox } from "@ao/e2e-harness"
import { execa } from "execa"
import { readFileSync } from "node:fs"
import { setTimeout as sleep } from "node:timers/promises"

/** The processes `pid` started that still run (git, tmux clients), found through ps. */
const descendantsOf = async (pid: number): Promise<ReadonlyArray<number>> => {
  const listed = await execa("ps", ["-e", "-o", "pid=,ppid="], { reject: false })
  const children = new Map<number, Array<number>>()
  for (const line of listed.stdout.split("\n")) {
    const [child, parent] = line.trim().split(/\s+/).map(Number)
    if (child === undefined || parent === undefined) continue
    children.set(parent, [...(children.get(parent) ?? []), child])
  }
  const found: Array<number> = []
  const visit = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child)
      visit(child)
    }
  }
  visit(pid)
  return found
}

/** Still running: a zombie nobody reaps (PID 1 in a container may not) has finished. */
const isLive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z"
  } catch {
    return false
  }
}

const SETTLE_POLLS = 200

/**
 * Runs `ao args` and SIGKILLs it after `afterMs` (if it is still running),
 * the way a kill -9 or an OOM kill ends it. It is stopped first so it starts
 * nothing more; the git and tmux commands it had started are left to finish
 * on their own, as they would, and waited for, so the next step never races
 * a straggler. True when the kill landed before ao was done.
 */
export const runAndKill = async (sandbox: Sandbox, args: ReadonlyArray<string>, afterMs: number): Promise<boolean> => {
  const child = sandbox.startAo(args)
  const pid = child.pid
  if (pid === undefined) throw new Error(`ao ${args.join(" ")} did not start`)
  const finished = await Promise.race([child.then(() => true), sleep(afterMs).then(() => false)])
  if (finished) return false
  const signal = (name: NodeJS.Signals): boolean => {
    try {
      return process.kill(pid, name)
    } catch {
      // Gone already: it finished (a zombie takes SIGSTOP and is then reaped).
      return false
    }
  }
  if (!signal("SIGSTOP")) {
    await child
    return false
  }
  const stragglers = await descendantsOf(pid)
  if (!signal("SIGKILL")) {
    await child
    return false
  }
  await child
  // A straggler that daemonized (a tmux server) never ends: the wait is bounded.
  for (let poll = 0; poll < SETTLE_POLLS && stragglers.some(isLive); poll++) {
    await sleep(25)
  }
  return true
}
