/**
 * `npm run bench:hook -w @ao/tools [-- --runs 31]`: `ao hook claude
 * PreToolUse` (it runs on every tool call of every agent) against a bare
 * `node -e 0`, runs alternated so a drift in machine load hits both alike.
 * Prints both medians, their ratio (target: at most 1.3) and `uptime` before
 * and after. Build the CLI first (`npm run build -w @ao/cli`).
 */
import { workspaceRoot } from "@ao/e2e-harness"
import { execa } from "execa"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"

const { values } = parseArgs({ options: { runs: { type: "string", default: "31" } } })
const RUNS = Number(values.runs)

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
} finally {
  await rm(aoHome, { recursive: true, force: true })
}
