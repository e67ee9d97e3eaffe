import type { Sandbox } from "@ao/e2e-harness"
import { execa } from "execa"
import { readdirSync, readFileSync } from "node:fs"
import { performance } from "node:perf_hooks"
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

/** The state letter of /proc/<pid>/stat: R, S, D running or sleeping, T stopped, Z exited and not yet reaped. */
const stateOf = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3)
  } catch {
    return undefined
  }
}

/** Still running: a zombie nobody reaps (PID 1 in a container may not) has finished. */
const isLive = (pid: number): boolean => {
  const state = stateOf(pid)
  return state !== undefined && state !== "Z"
}

const SETTLE_POLLS = 200
const STOP_POLLS = 400
const CHILD_POLL_MS = 5

/** Whether `pid` has started a process that still runs: /proc lists each thread's children. */
const hasChild = (pid: number): boolean => {
  try {
    return readdirSync(`/proc/${pid}/task`).some((task) => readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim() !== "")
  } catch {
    return false
  }
}

/**
 * Resolves once the child has started its first subprocess (a git or tmux
 * command: ao is loaded and at work), or has exited. The time that takes is
 * mostly node loading ao, which a busy machine stretches the most, so kill
 * moments are timed from here rather than from the start.
 */
const firstSubprocess = async (pid: number, exited: () => boolean): Promise<void> => {
  while (!exited() && !hasChild(pid)) await sleep(CHILD_POLL_MS)
}

const startWatched = (sandbox: Sandbox, args: ReadonlyArray<string>) => {
  const child = sandbox.startAo(args)
  const pid = child.pid
  if (pid === undefined) throw new Error(`ao ${args.join(" ")} did not start`)
  let exited = false
  child.once("exit", () => {
    exited = true
  })
  return { child, pid, exited: () => exited }
}

/**
 * Runs `ao args` to its end; how long it worked after starting its first
 * subprocess (the span crash injection's kills fall in), in ms, and its exit code.
 */
export const runTimed = async (sandbox: Sandbox, args: ReadonlyArray<string>): Promise<{ readonly workMs: number; readonly exitCode: number; readonly stderr: string }> => {
  const { child, pid, exited } = startWatched(sandbox, args)
  await firstSubprocess(pid, exited)
  const working = performance.now()
  const result = await child
  return { workMs: performance.now() - working, exitCode: result.exitCode ?? -1, stderr: String(result.stderr) }
}

/** How a crash-injected run ended, and what it printed up to then. */
export interface KillOutcome {
  /** Whether the SIGKILL landed before ao was done. */
  readonly killed: boolean
  /** `SIGKILL`, or `exit N` when it finished first. */
  readonly ended: string
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `ao args` and SIGKILLs it `afterWorkMs` after it started its first
 * subprocess (if it is still running), the way a kill -9 or an OOM kill ends
 * it. It is stopped first so it starts nothing more; the git and tmux
 * commands it had started are left to finish on their own, as they would,
 * and waited for, so the next step never races a straggler. `killed` only
 * when the kill landed before ao was done.
 *
 * Liveness is judged on our own child, never on a bare pid: until its exit
 * event has fired Node has not reaped it, so its pid cannot belong to anyone
 * else; once stopped, /proc says whether it was still running (T) or had
 * already exited (Z, not counted and not signalled again).
 */
export const runAndKill = async (sandbox: Sandbox, args: ReadonlyArray<string>, afterWorkMs: number): Promise<KillOutcome> => {
  const { child, pid, exited } = startWatched(sandbox, args)
  await firstSubprocess(pid, exited)
  await Promise.race([child.then(() => undefined), sleep(afterWorkMs)])
  const outcome = (killed: boolean, result: { readonly stdout: unknown; readonly stderr: unknown; readonly exitCode?: number | undefined; readonly signal?: string | undefined }): KillOutcome => ({
    killed,
    ended: result.signal ?? `exit ${String(result.exitCode)}`,
    stdout: String(result.stdout),
    stderr: String(result.stderr)
  })
  // Synchronous from here to the signal: the exit event cannot slip in between.
  if (exited()) {
    return outcome(false, await child)
  }
  process.kill(pid, "SIGSTOP")
  let state = stateOf(pid)
  for (let poll = 0; poll < STOP_POLLS && state !== "T" && state !== "Z"; poll++) {
    await sleep(5)
    if (exited()) break
    state = stateOf(pid)
  }
  if (exited() || state !== "T") {
    // It finished before the stop took hold: not a crash. Let it go if it is somehow still there.
    if (!exited()) process.kill(pid, "SIGCONT")
    return outcome(false, await child)
  }
  const stragglers = await descendantsOf(pid)
  process.kill(pid, "SIGKILL")
  const ended = await child
  if (ended.signal !== "SIGKILL") throw new Error(`ao ${args.join(" ")} was stopped, then ended with ${ended.signal ?? ended.exitCode} instead of SIGKILL`)
  // A straggler that daemonized (a tmux server) never ends: the wait is bounded.
  for (let poll = 0; poll < SETTLE_POLLS && stragglers.some(isLive); poll++) {
    await sleep(25)
  }
  return outcome(true, ended)
}
