/**
 * `npm run bench:hook -w @ao/tools [-- --runs 31]`: `ao hook claude
 * PreToolUse` (it runs on every tool call of every agent) against a bare
 * `node -e 0`, runs alternated so a drift in machine load hits both alike.
 * Prints both medians, their ratio (target: at most 1.3) and `uptime` before
 * and after. Then, with `--sessions N` (default 50) live sessions in a
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

/** Wall-clock milliseconds of one run; fails loudly when the command does. */
const wallOf = async (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>): Promise<number> => {
  const started = process.hrtime.bigint()
  const result = await execa(process.execPath, args, { env, extendEnv: false, input: PAYLOAD, reject: false })
  if (result.exitCode !== 0) throw new Error(`node ${args.join(" ")} failed (${result.exitCode}): ${result.stderr}`)
  return Number(process.hrtime.bigint() - started) / 1e6
}

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
  for (let run = 0; run < RUNS; run++) {
    bare.push(await wallOf(["-e", "0"], env))
    hook.push(await wallOf([launcher, "hook", "claude", "PreToolUse"], env))
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
  console.log(`uptime after:  ${after}`)
  if (SESSIONS > 0) await countListingProcesses()
} finally {
  await rm(aoHome, { recursive: true, force: true })
}
