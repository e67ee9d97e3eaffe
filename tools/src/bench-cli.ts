/**
 * `npm run bench:cli -w @ao/tools [-- --runs 7 --sizes 1,10,50]`: times the
 * built `ao` against real sessions (real tmux on a private server, real git)
 * in a sandbox, at each fleet size, and counts the subprocesses `ls` starts.
 * Prints a table of medians. Build the CLI first (`npm run build -w @ao/cli`).
 */
import { aoBinary, createSandbox, type Sandbox } from "@ao/e2e-harness"
import { execa } from "execa"
import { readFile, rm } from "node:fs/promises"
import { join } from "node:path"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: { runs: { type: "string", default: "7" }, sizes: { type: "string", default: "1,10,50" } }
})
const RUNS = Number(values.runs)
const SIZES = values.sizes.split(",").map(Number)

const median = (samples: ReadonlyArray<number>): number => {
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** Seconds one `ao` run takes, wall clock; fails loudly when the command does. */
const timed = async (sandbox: Sandbox, args: ReadonlyArray<string>): Promise<number> => {
  const started = process.hrtime.bigint()
  const result = await sandbox.ao(args)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (result.exitCode !== 0) throw new Error(`ao ${args.join(" ")} failed (${result.exitCode}): ${result.stderr}`)
  return seconds
}

const medianOf = async (runs: number, once: () => Promise<number>): Promise<number> => {
  const samples: Array<number> = []
  for (let run = 0; run < runs; run++) samples.push(await once())
  return median(samples)
}

/** Processes a command executes besides node itself, counted with strace (successful execve calls). */
const subprocessesOf = async (sandbox: Sandbox, args: ReadonlyArray<string>): Promise<number | "n/a"> => {
  const trace = join(sandbox.paths.root, "execve.trace")
  const strace = await execa(
    "strace",
    ["-f", "-qq", "-e", "trace=execve", "-o", trace, "node", aoBinary(), ...args],
    { env: sandbox.env, extendEnv: false, cwd: sandbox.paths.repo, reject: false }
  )
  if (strace.exitCode !== 0) return "n/a"
  const succeeded = (await readFile(trace, "utf8")).split("\n").filter((line) => /execve\(.*\) = 0$/.test(line))
  await rm(trace)
  return succeeded.length - 1
}

interface Row {
  readonly sessions: number
  readonly version: number
  readonly ls: number
  readonly statusJson: number
  readonly cleanupDryRun: number
  readonly kill: number
  readonly restore: number
  readonly spawn: number
  readonly lsSubprocesses: number | "n/a"
}

/** Spawns until the sandbox holds `count` live sessions. */
const growTo = async (sandbox: Sandbox, count: number, have: number): Promise<number> => {
  for (let n = have; n < count; n++) await timed(sandbox, ["spawn", "bench"])
  return Math.max(count, have)
}

const measure = async (sandbox: Sandbox, sessions: number): Promise<Row> => {
  const version = await medianOf(RUNS, () => timed(sandbox, ["--version"]))
  const ls = await medianOf(RUNS, () => timed(sandbox, ["session", "ls"]))
  const statusJson = await medianOf(RUNS, () => timed(sandbox, ["status", "--json"]))
  const cleanupDryRun = await medianOf(RUNS, () => timed(sandbox, ["session", "cleanup", "--dry-run"]))
  const lsSubprocesses = await subprocessesOf(sandbox, ["session", "ls"])
  // spawn one more, restore it after its tmux session dies, kill it: the fleet size stays the same.
  const spawnSamples: Array<number> = []
  const restoreSamples: Array<number> = []
  const killSamples: Array<number> = []
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint()
    const spawned = await sandbox.ao(["spawn", "bench"])
    spawnSamples.push(Number(process.hrtime.bigint() - started) / 1e9)
    const name = /^SESSION=(.+)$/m.exec(spawned.stdout)?.[1]
    if (name === undefined) throw new Error(`spawn printed no SESSION= line: ${spawned.stderr}`)
    await sandbox.tmux(["kill-session", "-t", `=${name}`])
    restoreSamples.push(await timed(sandbox, ["session", "restore", name]))
    killSamples.push(await timed(sandbox, ["session", "kill", name]))
  }
  return {
    sessions,
    version,
    ls,
    statusJson,
    cleanupDryRun,
    kill: median(killSamples),
    restore: median(restoreSamples),
    spawn: median(spawnSamples),
    lsSubprocesses
  }
}

const seconds = (value: number) => value.toFixed(3)

const table = (rows: ReadonlyArray<Row>): string =>
  [
    "| sessions | --version | session ls | status --json | cleanup --dry-run | kill | restore | spawn | ls subprocesses |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (row) =>
        `| ${row.sessions} | ${seconds(row.version)} | ${seconds(row.ls)} | ${seconds(row.statusJson)} | ${seconds(row.cleanupDryRun)} | ${seconds(row.kill)} | ${seconds(row.restore)} | ${seconds(row.spawn)} | ${row.lsSubprocesses} |`
    )
  ].join("\n")

const main = async () => {
  const sandbox = await createSandbox({ projectId: "bench" })
  try {
    const rows: Array<Row> = []
    let have = 0
    for (const size of SIZES) {
      have = await growTo(sandbox, size, have)
      rows.push(await measure(sandbox, size))
      process.stderr.write(`measured ${size} sessions\n`)
    }
    process.stdout.write(`Medians of ${RUNS} runs, seconds (${process.platform}, node ${process.version})\n\n${table(rows)}\n`)
  } finally {
    await sandbox.dispose()
  }
}

await main()
