/**
 * `npm run bench:cli -w @ao/tools [-- --runs 7 --sizes 1,10,50]`: times the
 * built `ao` against real sessions (real tmux on a private server, real git)
 * in a sandbox, at each fleet size, and counts the subprocesses `ls` starts.
 * Prints medians of wall-clock time and, from /usr/bin/time, of CPU time
 * (user + system), which a busy machine distorts much less. Then it compares
 * `ls` and `status --json` at the smallest and largest size with the runs
 * alternated between two fleets, so a drift in machine load hits both alike
 * (the target: the largest within 15% of the smallest). Build the CLI first
 * (`npm run build -w @ao/cli`).
 */
import { aoBinary, createSandbox, type Sandbox } from "@ao/e2e-harness"
import { execa } from "execa"
import { existsSync } from "node:fs"
import { readFile, rm } from "node:fs/promises"
import { loadavg } from "node:os"
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

interface Sample {
  readonly wall: number
  /** User + system seconds, or NaN without /usr/bin/time. */
  readonly cpu: number
  readonly stdout: string
}

const TIME = "/usr/bin/time"
const hasTime = existsSync(TIME)

/** One `ao` run, wall clock and CPU; fails loudly when the command does. */
const timed = async (sandbox: Sandbox, args: ReadonlyArray<string>): Promise<Sample> => {
  const cpuFile = join(sandbox.paths.root, "cpu.txt")
  const command = hasTime ? [TIME, "-f", "%U %S", "-o", cpuFile, "node", aoBinary(), ...args] : ["node", aoBinary(), ...args]
  const started = process.hrtime.bigint()
  const result = await execa(command[0] ?? "node", command.slice(1), {
    env: sandbox.env,
    extendEnv: false,
    cwd: sandbox.paths.repo,
    reject: false,
    stdin: "ignore"
  })
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  if (result.exitCode !== 0) throw new Error(`ao ${args.join(" ")} failed (${result.exitCode}): ${result.stderr}`)
  const cpu = hasTime
    ? (await readFile(cpuFile, "utf8"))
        .trim()
        .split(/\s+/)
        .map(Number)
        .reduce((total, part) => total + part, 0)
    : Number.NaN
  return { wall, cpu, stdout: result.stdout }
}

interface Timing {
  readonly wall: number
  readonly cpu: number
}

const medianTiming = (samples: ReadonlyArray<Sample>): Timing => ({
  wall: median(samples.map((sample) => sample.wall)),
  cpu: median(samples.map((sample) => sample.cpu))
})

const medianOf = async (runs: number, once: () => Promise<Sample>): Promise<Timing> => {
  const samples: Array<Sample> = []
  for (let run = 0; run < runs; run++) samples.push(await once())
  return medianTiming(samples)
}

/**
 * Processes a command executes besides node itself, counted with strace
 * (successful execve calls); "n/a" only when strace is not installed. `ao`
 * failing under strace fails the benchmark: its count would be of nothing.
 */
const subprocessesOf = async (sandbox: Sandbox, args: ReadonlyArray<string>): Promise<number | "n/a"> => {
  const trace = join(sandbox.paths.root, "execve.trace")
  const strace = await execa(
    "strace",
    ["-f", "-qq", "-e", "trace=execve", "-o", trace, "node", aoBinary(), ...args],
    { env: sandbox.env, extendEnv: false, cwd: sandbox.paths.repo, reject: false }
  )
  if (strace.code === "ENOENT") return "n/a"
  if (strace.exitCode !== 0) throw new Error(`ao ${args.join(" ")} under strace failed (${strace.exitCode}): ${strace.stderr}`)
  const succeeded = (await readFile(trace, "utf8")).split("\n").filter((line) => /execve\(.*\) = 0$/.test(line))
  await rm(trace)
  return succeeded.length - 1
}

/** One timed `ao session ls`, which must have listed every one of the `sessions` live sessions. */
const listing = async (sandbox: Sandbox, sessions: number): Promise<Sample> => {
  const sample = await timed(sandbox, ["session", "ls"])
  const listed = JSON.parse((await sandbox.ao(["session", "ls", "--json"])).stdout) as ReadonlyArray<{ readonly name: string }>
  const missing = listed.filter((row) => !sample.stdout.includes(row.name)).map((row) => row.name)
  if (listed.length !== sessions || missing.length > 0) {
    throw new Error(`ao session ls listed ${listed.length} sessions (${missing.length} of them missing from its table), expected ${sessions}`)
  }
  return sample
}

interface Row {
  readonly sessions: number
  readonly version: Timing
  readonly ls: Timing
  readonly statusJson: Timing
  readonly cleanupDryRun: Timing
  readonly kill: Timing
  readonly restore: Timing
  readonly spawn: Timing
  readonly lsSubprocesses: number | "n/a"
}

/** Spawns until the sandbox holds `count` live sessions. */
const growTo = async (sandbox: Sandbox, count: number, have: number): Promise<number> => {
  for (let n = have; n < count; n++) await timed(sandbox, ["spawn", "bench"])
  return Math.max(count, have)
}

const measure = async (sandbox: Sandbox, sessions: number): Promise<Row> => {
  const version = await medianOf(RUNS, () => timed(sandbox, ["--version"]))
  const ls = await medianOf(RUNS, () => listing(sandbox, sessions))
  const statusJson = await medianOf(RUNS, () => timed(sandbox, ["status", "--json"]))
  const cleanupDryRun = await medianOf(RUNS, () => timed(sandbox, ["session", "cleanup", "--dry-run"]))
  const lsSubprocesses = await subprocessesOf(sandbox, ["session", "ls"])
  // spawn one more, restore it after its tmux session dies, kill it: the fleet size stays the same.
  const spawnSamples: Array<Sample> = []
  const restoreSamples: Array<Sample> = []
  const killSamples: Array<Sample> = []
  for (let run = 0; run < RUNS; run++) {
    const spawned = await timed(sandbox, ["spawn", "bench"])
    spawnSamples.push(spawned)
    const name = /^SESSION=(.+)$/m.exec(spawned.stdout)?.[1]
    if (name === undefined) throw new Error(`spawn printed no SESSION= line: ${spawned.stdout}`)
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
    kill: medianTiming(killSamples),
    restore: medianTiming(restoreSamples),
    spawn: medianTiming(spawnSamples),
    lsSubprocesses
  }
}

/** `0.215 (cpu 0.180)` */
const seconds = (timing: Timing) =>
  Number.isNaN(timing.cpu) ? timing.wall.toFixed(3) : `${timing.wall.toFixed(3)} (cpu ${timing.cpu.toFixed(3)})`

const table = (rows: ReadonlyArray<Row>): string =>
  [
    "| sessions | --version | session ls | status --json | cleanup --dry-run | kill | restore | spawn | ls subprocesses |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (row) =>
        `| ${row.sessions} | ${seconds(row.version)} | ${seconds(row.ls)} | ${seconds(row.statusJson)} | ${seconds(row.cleanupDryRun)} | ${seconds(row.kill)} | ${seconds(row.restore)} | ${seconds(row.spawn)} | ${row.lsSubprocesses} |`
    )
  ].join("\n")

interface Growth {
  readonly command: string
  readonly small: Timing
  readonly large: Timing
}

/** `ls` and `status --json` on a fleet of `smallest` sessions and on `large`, alternately. */
const growthOfReads = async (large: Sandbox, smallest: number): Promise<ReadonlyArray<Growth>> => {
  const small = await createSandbox({ projectId: "bench" })
  try {
    await growTo(small, smallest, 0)
    const growth: Array<Growth> = []
    for (const args of [["session", "ls"], ["status", "--json"]]) {
      const smallSamples: Array<Sample> = []
      const largeSamples: Array<Sample> = []
      for (let run = 0; run < RUNS * 3; run++) {
        smallSamples.push(await timed(small, args))
        largeSamples.push(await timed(large, args))
      }
      growth.push({ command: args.join(" "), small: medianTiming(smallSamples), large: medianTiming(largeSamples) })
    }
    return growth
  } finally {
    await small.dispose()
  }
}

const percent = (small: number, large: number) => `${(((large - small) / small) * 100).toFixed(1)}%`

const growthTable = (growth: ReadonlyArray<Growth>, smallest: number, largest: number): string =>
  [
    `Reads at ${smallest} vs ${largest} sessions, ${RUNS * 3} runs each, alternated between the two fleets (target: within 15%)`,
    "",
    `| command | ${smallest} sessions | ${largest} sessions | growth, wall | growth, cpu |`,
    "| --- | ---: | ---: | ---: | ---: |",
    ...growth.map(
      (row) =>
        `| ${row.command} | ${seconds(row.small)} | ${seconds(row.large)} | ${percent(row.small.wall, row.large.wall)} | ${
          Number.isNaN(row.small.cpu) ? "n/a" : percent(row.small.cpu, row.large.cpu)
        } |`
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
    process.stdout.write(
      `Medians of ${RUNS} runs, wall-clock seconds (CPU seconds, user + system); ${process.platform}, node ${process.version}, load average ${loadavg()
        .map((load) => load.toFixed(1))
        .join(" ")}\n\n${table(rows)}\n`
    )
    const smallest = Math.min(...SIZES)
    const largest = Math.max(...SIZES)
    if (largest > smallest) {
      process.stdout.write(`\n${growthTable(await growthOfReads(sandbox, smallest), smallest, largest)}\n`)
    }
  } finally {
    await sandbox.dispose()
  }
}

await main()
