import { type AoResult, createSandbox, type Sandbox, type SeededRandom } from "@ao/e2e-harness"
import { existsSync } from "node:fs"
import { mkdir, readFile, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { checkInvariants, sandboxLayout, type Violation } from "./invariants"
import { bytesLost, type KnownFile, type KnownKind, writeKnownWork } from "./known-work"

/**
 * The commands that remove a worktree on purpose, each run to its end (the
 * crash suite interrupts them): `ao session kill`, `ao session cleanup` of a
 * session whose agent died, and `ao doctor --fix` of a worktree whose record
 * ended without its removal (what a kill interrupted between the two leaves).
 */
export const WORK_COMMANDS = ["kill", "cleanup", "doctor --fix"] as const
export type WorkCommand = (typeof WORK_COMMANDS)[number]

export interface WorkFigures {
  readonly command: WorkCommand
  readonly trials: number
  /** Bytes of known work written, per kind: every one is counted before and after the command. */
  readonly bytesByKind: Readonly<Record<KnownKind, number>>
  readonly bytesWritten: number
  /** Bytes not found where they were written before the command ran (the inventory itself failing): must be 0. */
  readonly bytesMissingBefore: number
  /** Bytes kept nowhere after the command: must be 0. */
  readonly bytesLost: number
  /** Trials whose worktree the command removed (all of them, or the trial tested nothing). */
  readonly removed: number
  readonly violations: ReadonlyArray<Violation & { readonly trial: number }>
}

/** Spawns one session of the sandbox's project; its name and worktree (read from its record, without another ao run). */
export const spawnOne = async (sandbox: Sandbox): Promise<{ readonly name: string; readonly worktree: string }> => {
  const result = await sandbox.ao(["spawn", "demo"])
  const name = /^SESSION=(\S+)$/m.exec(result.stdout)?.[1]
  if (result.exitCode !== 0 || name === undefined) throw new Error(`setup spawn failed: ${result.stderr}`)
  const record = JSON.parse(await readFile(join(sandboxLayout(sandbox).active, `${name}.json`), "utf8")) as { readonly workspacePath?: unknown }
  if (typeof record.workspacePath !== "string") throw new Error(`${name}'s record names no worktree after spawning it`)
  return { name, worktree: record.workspacePath }
}

/**
 * Leaves the session as a kill interrupted after it ended the record leaves
 * it: agent gone, record archived as killed, worktree still there.
 */
const endRecordOnly = async (sandbox: Sandbox, name: string) => {
  await sandbox.tmux(["kill-session", "-t", `=${name}`])
  const layout = sandboxLayout(sandbox)
  const active = join(layout.active, `${name}.json`)
  const record = JSON.parse(await readFile(active, "utf8")) as Record<string, unknown>
  await mkdir(layout.archive, { recursive: true })
  await writeFile(join(layout.archive, `${name}.json`), JSON.stringify({ ...record, status: "killed", statusReason: "killed (interrupted before its worktree was removed)" }))
  await rm(active)
}

/** Runs the command on a session holding known work; the result of the command. */
const runCommand = async (sandbox: Sandbox, command: WorkCommand, name: string): Promise<AoResult> => {
  switch (command) {
    case "kill":
      return sandbox.ao(["session", "kill", name])
    case "cleanup":
      // The agent died: cleanup ends the session and removes its worktree.
      await sandbox.tmux(["kill-session", "-t", `=${name}`])
      return sandbox.ao(["session", "cleanup"])
    case "doctor --fix":
      await endRecordOnly(sandbox, name)
      return sandbox.ao(["doctor", "--fix"])
  }
}

const emptyKinds = (): Record<KnownKind, number> => ({ tracked: 0, staged: 0, untracked: 0, ignored: 0, nested: 0, unreachable: 0 })

/**
 * Per trial: a fresh session, known work of every kind written into its
 * worktree (counted there first), the command run to its end, then every
 * known byte looked for in the worktree or what ao saved, and the invariants.
 */
export const runWork = async (
  random: SeededRandom,
  command: WorkCommand,
  trials: number,
  /** Called with the figures so far after each trial, so a long run shows where it is. */
  progress: (figures: WorkFigures) => void = () => undefined
): Promise<WorkFigures> => {
  const sandbox = await createSandbox({ projectId: "demo" })
  try {
    const violations: Array<Violation & { readonly trial: number }> = []
    const bytesByKind = emptyKinds()
    let written = 0
    let missingBefore = 0
    let lost = 0
    let removed = 0
    for (let trial = 1; trial <= trials; trial++) {
      const { name, worktree } = await spawnOne(sandbox)
      const known: ReadonlyArray<KnownFile> = await writeKnownWork(random, name, worktree)
      for (const entry of known) bytesByKind[entry.kind] += entry.bytes.length
      written += known.reduce((sum, entry) => sum + entry.bytes.length, 0)
      missingBefore += await bytesLost(sandbox, known)
      const result = await runCommand(sandbox, command, name)
      if (result.exitCode !== 0) {
        violations.push({ trial, invariant: `ao ${command} succeeds`, detail: `exited ${result.exitCode}: ${result.stderr.trim() || result.stdout.trim()}` })
      }
      if (!existsSync(worktree)) removed++
      lost += await bytesLost(sandbox, known)
      violations.push(...(await checkInvariants(sandbox)).map((violation) => ({ ...violation, trial })))
      progress({ command, trials: trial, bytesByKind: { ...bytesByKind }, bytesWritten: written, bytesMissingBefore: missingBefore, bytesLost: lost, removed, violations })
    }
    return { command, trials, bytesByKind, bytesWritten: written, bytesMissingBefore: missingBefore, bytesLost: lost, removed, violations }
  } finally {
    await sandbox.dispose()
  }
}
