/**
 * `npm run bench:hook -w @ao/tools [-- --runs 31]`: `ao hook claude
 * PreToolUse` (it runs on every tool call of every agent) against a bare
 * `node -e 0`, runs alternated so a drift in machine load hits both alike.
 * Prints both medians, their ratio (target: at most 1.3), the mean CPU time
 * (user+sys) of a run of each where /proc has it (it varies less than wall time
 * on a loaded machine) and `uptime` before and after. Then, with `--sessions N` (default 50) live sessions in a
 * sandbox, each with an activity log, it counts the processes `ao session ls`
 * and `ao status --json` start (strace): reading the logs costs none, so
 * the one tmux listing stays the only one. Build the CLI first
 * (`npm run build -w @ao/cli`).
 */
import { aoBinary, createSandbox, type Sandbox, workspaceRoot } from "@ao/e2e-harness"
import { execa } from "execa"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: { runs: { type: "string", default: "31" }, sessions: { type: "string", default: "50" } }
})
const RUNS = Number(values.runs)
const SESSIONS = Number(values.sessions)

const PAYLOAD = JSON.stringify({
  session_id: "bench",
  transcript_path: "/tmp/bench.jsonl",
  cwd: "/tmp",
  hook_event_name: "PreToolUse",
  tool_name: "Bash",
  tool_input: { command: "npm test" }
})

const middle = (samples: ReadonlyArray<number>): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? NaN

/**
 * CPU time (user+sys, in clock ticks) of this process's children that have
 * been waited for (/proc/self/stat, fields 16 and 17); undefined without /proc.
 */
const childTicks = async (): Promise<number | undefined> => {
  try {
    const stat = await readFile("/proc/self/stat", "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    // fields[0] is field 3 (state): cutime and cstime are fields 16 and 17.
    return Number(fields[13]) + Number(fields[14])
  } catch {
    return undefined
  }
}
/** Clock ticks per second (USER_HZ): 100 on every Linux ao runs on. */
const TICKS_PER_SECOND = 100

/** Wall-clock and CPU milliseconds of one run; fails loudly when the command does. */
const timeOf = async (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>): Promise<{ wall: number; cpu: number | undefined }> => {
  const ticksBefore = await childTicks()
  const started = process.hrtime.bigint()
  const result = await execa(process.execPath, args, { env, extendEnv: false, input: PAYLOAD, reject: false })
  const wall = Number(process.hrtime.bigint() - started) / 1e6
  if (result.exitCode !== 0) throw new Error(`node ${args.join(" ")} failed (${result.exitCode}): ${result.stderr}`)
  const ticksAfter = await childTicks()
  const cpu = ticksBefore === undefined || ticksAfter === undefined ? undefined : ((ticksAfter - ticksBefore) * 1000) / TICKS_PER_SECOND
  return { wall, cpu }
}
const wallOf = async (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>): Promise<number> => (await timeOf(args, env)).wall

/** Successful execve calls of a command besides node itself; "n/a" without strace. */
const processesStarted = async (sandbox: Sandbox, args: ReadonlyArray<string>): Promise<number | "n/a"> => {
  const trace = join(sandbox.paths.root, "execve.trace")
  const traced = await execa("strace", ["-f", "-qq", "-e", "trace=execve", "-o", trace, process.execPath, aoBinary(), ...args], {
    env: sandbox.env,
    extendEnv: false,
    cwd: sandbox.paths.repo,
    reject: false
  })
  if (traced.exitCode !== 0) return "n/a"
  return (await readFile(trace, "utf8")).split("\n").filter((line) => /execve\(.*\) = 0$/.test(line)).length - 1
}

/** `ls` and `status --json` at SESSIONS live sessions, each with an activity log written by `ao hook`. */
const countListingProcesses = async (): Promise<void> => {
  const sandbox = await createSandbox({ projectId: "bench" })
  try {
    const launcher = join(workspaceRoot(), "apps", "cli", "bin", "ao.js")
    for (let n = 1; n <= SESSIONS; n++) {
      const spawned = await sandbox.ao(["spawn", "bench"])
      if (spawned.exitCode !== 0) throw new Error(`spawn failed: ${spawned.stderr}`)
      await wallOf([launcher, "hook", "claude", "PreToolUse"], { ...sandbox.env, AO_SESSION: `bench-s${n}` })
    }
    console.log(`${SESSIONS} sessions with activity logs:`)
    console.log(`  ao session ls     starts ${await processesStarted(sandbox, ["session", "ls"])} process(es)`)
    console.log(`  ao status --json  starts ${await processesStarted(sandbox, ["status", "--json"])} process(es)`)
  } finally {
    await sandbox.dispose()
  }
}

const uptime = async (): Promise<string> => (await execa("uptime")).stdout.trim()

const aoHome = await mkdtemp(join(tmpdir(), "ao-bench-hook-"))
try {
  const launcher = join(workspaceRoot(), "apps", "cli", "bin", "ao.js")
  const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", AO_HOME: aoHome, AO_SESSION: "bench-1" }
  const before = await uptime()
  const bare: Array<number> = []
  const hook: Array<number> = []
  // Ticks are 10 ms: the CPU figure is the mean over all runs, not a median.
  let bareCpu: number | undefined = 0
  let hookCpu: number | undefined = 0
  const addCpu = (sum: number | undefined, cpu: number | undefined) => (sum === undefined || cpu === undefined ? undefined : sum + cpu)
  for (let run = 0; run < RUNS; run++) {
    const bareRun = await timeOf(["-e", "0"], env)
    const hookRun = await timeOf([launcher, "hook", "claude", "PreToolUse"], env)
    bare.push(bareRun.wall)
    hook.push(hookRun.wall)
    bareCpu = addCpu(bareCpu, bareRun.cpu)
    hookCpu = addCpu(hookCpu, hookRun.cpu)
  }
  const after = await uptime()
  const lines = (await readFile(join(aoHome, "activity", "bench-1.jsonl"), "utf8")).trim().split("\n")
  if (lines.length !== RUNS) throw new Error(`expected ${RUNS} activity lines, found ${lines.length}`)
  const ratio = middle(hook) / middle(bare)
  console.log(`runs: ${RUNS} each, alternated`)
  console.log(`uptime before: ${before}`)
  console.log(`node -e 0                     median ${middle(bare).toFixed(1)} ms`)
  console.log(`ao hook claude PreToolUse     median ${middle(hook).toFixed(1)} ms`)
  console.log(`ratio: ${ratio.toFixed(2)}x bare node (target <= 1.3x)`)
  if (bareCpu !== undefined && hookCpu !== undefined && bareCpu > 0) {
    console.log(`cpu (user+sys) per run, mean: node -e 0 ${(bareCpu / RUNS).toFixed(1)} ms, ao hook ${(hookCpu / RUNS).toFixed(1)} ms, ratio ${(hookCpu / bareCpu).toFixed(2)}x`)
  }
  console.log(`uptime after:  ${after}`)
  if (SESSIONS > 0) await countListingProcesses()
} finally {
  await rm(aoHome, { recursive: true, force: true })
}
