/**
 * `npm run bench:cli -w @ao/tools [-- --runs 9 --sessions 50]`: times the
 * built `ao` against real sessions (real tmux on a private server, real git)
 * in sandboxes, every figure next to the bare-node floor (`node -e 0`) of the
 * same run: each `ao` run is paired with a floor run just before it, so a
 * drift in machine load hits both alike. Checks the issue-16 targets and
 * exits 1 when one is missed:
 *
 * - `--version`, `--help`, `ao hook`: at most 1.3× the floor;
 * - `session ls`, `status --json`, `session cleanup --dry-run` at 50 sessions:
 *   at most 2.5×, and within 15% of the same command at 1 session (runs
 *   alternated between the two fleets);
 * - `session kill` (nothing to save), `session restore`, `spawn`, at 50 and
 *   at 1 session: at most 3× the floor plus the time of the git and tmux
 *   processes they start (counted and timed under strace: from a child's
 *   execve to its exit);
 * - peak RSS of `session ls` at 50 sessions: at most 60 MB.
 *
 * Every run's answer is checked too (ls lists every session, status --json
 * has one row per session, spawn prints SESSION=…, restore brings the tmux
 * session back, kill removes it). Figures are wall-clock medians; CPU time
 * (user + system, from /usr/bin/time) is printed beside them, since a busy
 * machine distorts it much less. Build the CLI first (`npm run build -w @ao/cli`).
 */
import { aoBinary, createSandbox, type Sandbox, workspaceRoot } from "@ao/e2e-harness"
import { execa } from "execa"
import { existsSync } from "node:fs"
import { readFile, rm } from "node:fs/promises"
import { availableParallelism } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: { runs: { type: "string", default: "9" }, sessions: { type: "string", default: "50" } }
})
const RUNS = Number(values.runs)
const SESSIONS = Number(values.sessions)
const TIME = "/usr/bin/time"
const hasTime = existsSync(TIME)

const median = (samples: ReadonlyArray<number>): number => {
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2
}

interface Sample {
  readonly wall: number
  /** User + system seconds, NaN without /usr/bin/time. */
  readonly cpu: number
  /** Peak resident set of the run, megabytes (the figure: their median); NaN without /usr/bin/time. */
  readonly rssMb: number
  readonly stdout: string
  readonly stderr: string
}

interface RunOptions {
  readonly input?: string
  /** A non-zero exit is the answer expected (never so far); default: must exit 0. */
  readonly allowFailure?: boolean
}

/** One process under /usr/bin/time: wall clock, CPU and peak RSS; fails loudly when the command does. */
const timed = async (sandbox: Sandbox, argv: ReadonlyArray<string>, options: RunOptions = {}): Promise<Sample> => {
  const statsFile = join(sandbox.paths.root, "time.txt")
  const command = hasTime ? [TIME, "-f", "%U %S %M", "-o", statsFile, ...argv] : [...argv]
  const started = process.hrtime.bigint()
  const result = await execa(command[0] ?? "node", command.slice(1), {
    env: sandbox.env,
    extendEnv: false,
    cwd: sandbox.paths.repo,
    reject: false,
    ...(options.input === undefined ? { stdin: "ignore" as const } : { input: options.input })
  })
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  if (result.exitCode !== 0 && options.allowFailure !== true) {
    throw new Error(`${argv.join(" ")} failed (${result.exitCode}): ${result.stderr}`)
  }
  const [user, system, rssKb] = hasTime ? (await readFile(statsFile, "utf8")).trim().split(/\s+/).map(Number) : []
  return {
    wall,
    cpu: (user ?? NaN) + (system ?? NaN),
    rssMb: (rssKb ?? NaN) / 1024,
    stdout: result.stdout,
    stderr: result.stderr
  }
}

const floorRun = (sandbox: Sandbox) => timed(sandbox, [process.execPath, "-e", "0"])
const aoRun = (sandbox: Sandbox, args: ReadonlyArray<string>, options: RunOptions = {}) =>
  timed(sandbox, [process.execPath, aoBinary(), ...args], options)

interface Subprocesses {
  readonly stdout: string
  readonly count: number
  /** Seconds during which at least one child process was alive. */
  readonly seconds: number
}

/**
 * The processes one `ao` run starts (successful execve calls besides node
 * itself) and the time they were alive, from strace: a child's life runs
 * from its first execve to its exit; overlapping lives count once.
 * "n/a" when strace is not installed.
 */
const traceSubprocesses = async (sandbox: Sandbox, args: ReadonlyArray<string>): Promise<Subprocesses | "n/a"> => {
  const trace = join(sandbox.paths.root, "execve.trace")
  const traced = await execa(
    "strace",
    ["-f", "-q", "--seccomp-bpf", "-ttt", "-e", "trace=execve,exit_group", "-o", trace, process.execPath, aoBinary(), ...args],
    { env: sandbox.env, extendEnv: false, cwd: sandbox.paths.repo, reject: false, stdin: "ignore" }
  )
  if (traced.code === "ENOENT") return "n/a"
  if (traced.exitCode !== 0) throw new Error(`ao ${args.join(" ")} under strace failed (${traced.exitCode}): ${traced.stderr}`)
  const lines = (await readFile(trace, "utf8")).split("\n").filter((line) => line !== "")
  await rm(trace)
  const root = lines[0]?.split(/\s+/)[0]
  const started = new Map<string, number>()
  const succeeded = new Set<string>()
  const ended = new Map<string, number>()
  for (const line of lines) {
    const [pid, at, ...rest] = line.split(/\s+/)
    if (pid === undefined || pid === root || at === undefined) continue
    const call = rest.join(" ")
    if (call.startsWith("execve(")) {
      if (!started.has(pid)) started.set(pid, Number(at))
      if (call.endsWith("= 0")) succeeded.add(pid)
    } else if (call.startsWith("+++")) ended.set(pid, Number(at))
  }
  const lives = [...succeeded]
    .map((pid) => [started.get(pid) ?? NaN, ended.get(pid) ?? NaN] as const)
    .filter(([from, to]) => to >= from)
    .sort((a, b) => a[0] - b[0])
  let seconds = 0
  let reach = -Infinity
  for (const [from, to] of lives) {
    if (to <= reach) continue
    seconds += to - Math.max(from, reach)
    reach = to
  }
  return { stdout: traced.stdout, count: succeeded.size, seconds }
}

interface Figure {
  readonly command: string
  readonly sessions: number | ""
  readonly wall: number
  readonly floorWall: number
  readonly cpu: number
  readonly floorCpu: number
  readonly rssMb: number
  /** "n/a": strace is not installed; absent: not asked. */
  readonly subprocesses?: Subprocesses | "n/a"
  /** What the figure is held to, and whether it holds. */
  readonly target: string
  readonly met: boolean | undefined
}

/** Medians of a command's samples and of the floor runs paired with them. */
const figureOf = (
  command: string,
  sessions: number | "",
  samples: ReadonlyArray<Sample>,
  floors: ReadonlyArray<Sample>
): Omit<Figure, "target" | "met"> => ({
  command,
  sessions,
  wall: median(samples.map((sample) => sample.wall)),
  floorWall: median(floors.map((sample) => sample.wall)),
  cpu: median(samples.map((sample) => sample.cpu)),
  floorCpu: median(floors.map((sample) => sample.cpu)),
  rssMb: median(samples.map((sample) => sample.rssMb))
})

const ratioTarget = (figure: Omit<Figure, "target" | "met">, limit: number): Figure => ({
  ...figure,
  target: `≤ ${limit}× floor`,
  met: figure.wall <= limit * figure.floorWall
})

/** `runs` pairs of a floor run and `once()`; `check` rejects a wrong answer. */
const paired = async (
  sandbox: Sandbox,
  once: () => Promise<Sample>,
  runs: number = RUNS
): Promise<{ samples: Array<Sample>; floors: Array<Sample> }> => {
  const samples: Array<Sample> = []
  const floors: Array<Sample> = []
  for (let run = 0; run < runs; run++) {
    floors.push(await floorRun(sandbox))
    samples.push(await once())
  }
  return { samples, floors }
}

const expectThat = (holds: boolean, what: string) => {
  if (!holds) throw new Error(`wrong answer: ${what}`)
}

/** Spawns until the sandbox holds `count` live sessions. */
const growTo = async (sandbox: Sandbox, count: number) => {
  for (let n = 0; n < count; n++) await aoRun(sandbox, ["spawn", "bench"])
}

/** Session rows of `ao session ls`'s table (`  bench-s12  (3m)  …`). */
const listedSessions = (stdout: string): number => stdout.split("\n").filter((line) => /^\s+bench-s\d+\s/.test(line)).length

const HOOK_PAYLOAD = JSON.stringify({
  session_id: "bench",
  transcript_path: "/tmp/bench.jsonl",
  cwd: "/tmp",
  hook_event_name: "PreToolUse",
  tool_name: "Bash",
  tool_input: { command: "npm test" }
})

const startup = async (sandbox: Sandbox): Promise<ReadonlyArray<Figure>> => {
  const version = JSON.parse(await readFile(join(workspaceRoot(), "apps", "cli", "package.json"), "utf8")).version as string
  const figures: Array<Figure> = []
  const versionRuns = await paired(sandbox, async () => {
    const sample = await aoRun(sandbox, ["--version"])
    expectThat(sample.stdout.trim() === version, `ao --version printed ${JSON.stringify(sample.stdout)}, expected ${version}`)
    return sample
  })
  figures.push(ratioTarget(figureOf("--version", "", versionRuns.samples, versionRuns.floors), 1.3))
  const helpRuns = await paired(sandbox, async () => {
    const sample = await aoRun(sandbox, ["--help"])
    expectThat(/Usage: ao /.test(sample.stdout) && /session/.test(sample.stdout), "ao --help printed no usage")
    return sample
  })
  figures.push(ratioTarget(figureOf("--help", "", helpRuns.samples, helpRuns.floors), 1.3))
  const hookRuns = await paired(sandbox, async () => {
    const sample = await aoRun(sandbox, ["hook", "claude", "PreToolUse"], { input: HOOK_PAYLOAD })
    expectThat(sample.stderr === "", `ao hook wrote to stderr: ${sample.stderr}`)
    return sample
  })
  figures.push(ratioTarget(figureOf("hook claude PreToolUse", "", hookRuns.samples, hookRuns.floors), 1.3))
  return figures
}

interface Read {
  readonly args: ReadonlyArray<string>
  /** Throws when the answer is not that of a fleet of `sessions`. */
  readonly check: (sample: Sample, sessions: number) => void
}

const READS: ReadonlyArray<Read> = [
  {
    args: ["session", "ls"],
    check: (sample, sessions) =>
      expectThat(listedSessions(sample.stdout) === sessions, `ao session ls listed ${listedSessions(sample.stdout)} sessions, expected ${sessions}`)
  },
  {
    args: ["status", "--json"],
    check: (sample, sessions) => {
      const rows = JSON.parse(sample.stdout) as ReadonlyArray<unknown>
      expectThat(rows.length === sessions, `ao status --json gave ${rows.length} rows, expected ${sessions}`)
    }
  },
  {
    args: ["session", "cleanup", "--dry-run"],
    // Every session is alive: nothing to clean.
    check: (sample) =>
      expectThat(/\b0 sessions would be cleaned/.test(sample.stdout), `ao session cleanup --dry-run would clean: ${sample.stdout}`)
  }
]

/** Each read at SESSIONS and at 1 session, runs alternated between the fleets, each paired with a floor run. */
const reads = async (large: Sandbox, small: Sandbox): Promise<ReadonlyArray<Figure>> => {
  const figures: Array<Figure> = []
  for (const read of READS) {
    const largeRuns = { samples: [] as Array<Sample>, floors: [] as Array<Sample> }
    const smallRuns = { samples: [] as Array<Sample>, floors: [] as Array<Sample> }
    for (let run = 0; run < RUNS; run++) {
      for (const [sandbox, sessions, into] of [
        [large, SESSIONS, largeRuns],
        [small, 1, smallRuns]
      ] as const) {
        into.floors.push(await floorRun(sandbox))
        const sample = await aoRun(sandbox, read.args)
        read.check(sample, sessions)
        into.samples.push(sample)
      }
    }
    const command = read.args.join(" ")
    const atLarge = ratioTarget(figureOf(command, SESSIONS, largeRuns.samples, largeRuns.floors), 2.5)
    const atSmall = figureOf(command, 1, smallRuns.samples, smallRuns.floors)
    figures.push({ ...atLarge, subprocesses: await traceSubprocesses(large, read.args) })
    figures.push({
      ...atSmall,
      subprocesses: await traceSubprocesses(small, read.args),
      target: `${SESSIONS} within 15% of 1`,
      met: atLarge.wall <= atSmall.wall * 1.15
    })
    if (command === "session ls") {
      figures.push({
        ...atLarge,
        command: "session ls, peak RSS",
        target: "≤ 60 MB",
        met: Number.isNaN(atLarge.rssMb) ? undefined : atLarge.rssMb <= 60
      })
    }
  }
  return figures
}

/**
 * spawn a session, end its tmux session, restore it, kill it: the fleet's
 * size stays the same. The kill has nothing to save (the stand-in agent
 * writes no files).
 */
const lifecycle = async (sandbox: Sandbox, sessions: number): Promise<ReadonlyArray<Figure>> => {
  const runs = { spawn: [] as Array<Sample>, restore: [] as Array<Sample>, kill: [] as Array<Sample> }
  const floors = { spawn: [] as Array<Sample>, restore: [] as Array<Sample>, kill: [] as Array<Sample> }
  const cycle = async () => {
    floors.spawn.push(await floorRun(sandbox))
    const spawned = await aoRun(sandbox, ["spawn", "bench"])
    const name = /^SESSION=(.+)$/m.exec(spawned.stdout)?.[1]
    expectThat(name !== undefined, `spawn printed no SESSION= line: ${spawned.stdout}`)
    const session = name ?? ""
    await sandbox.tmux(["kill-session", "-t", `=${session}`])
    floors.restore.push(await floorRun(sandbox))
    const restored = await aoRun(sandbox, ["session", "restore", session])
    expectThat((await sandbox.tmuxSessions()).includes(session), `ao session restore ${session} left no tmux session`)
    floors.kill.push(await floorRun(sandbox))
    const killed = await aoRun(sandbox, ["session", "kill", session])
    expectThat(!(await sandbox.tmuxSessions()).includes(session), `ao session kill ${session} left its tmux session`)
    runs.spawn.push(spawned)
    runs.restore.push(restored)
    runs.kill.push(killed)
  }
  for (let run = 0; run < RUNS; run++) await cycle()
  // One more cycle under strace, for the processes each command starts and their time.
  const traced: Record<"spawn" | "restore" | "kill", Subprocesses | "n/a"> = { spawn: "n/a", restore: "n/a", kill: "n/a" }
  traced.spawn = await traceSubprocesses(sandbox, ["spawn", "bench"])
  if (traced.spawn !== "n/a") {
    const session = /^SESSION=(.+)$/m.exec(traced.spawn.stdout)?.[1] ?? ""
    expectThat((await sandbox.tmuxSessions()).includes(session), `the traced spawn made no tmux session ${session}`)
    await sandbox.tmux(["kill-session", "-t", `=${session}`])
    traced.restore = await traceSubprocesses(sandbox, ["session", "restore", session])
    traced.kill = await traceSubprocesses(sandbox, ["session", "kill", session])
  }

  return (["kill", "restore", "spawn"] as const).map((command) => {
    const figure = figureOf(command === "spawn" ? "spawn" : `session ${command}`, sessions, runs[command], floors[command])
    const subprocesses = traced[command]
    return {
      ...figure,
      subprocesses,
      target: "≤ 3× floor + subprocesses",
      met: subprocesses === "n/a" ? undefined : figure.wall <= 3 * figure.floorWall + subprocesses.seconds
    }
  })
}

const uptime = async () => (await execa("uptime", [], { reject: false })).stdout.trim()
const cores = () => availableParallelism()

const ratio = (value: number, floor: number) => (Number.isNaN(value) ? "n/a" : `${(value / floor).toFixed(2)}×`)

const table = (figures: ReadonlyArray<Figure>): string =>
  [
    "| command | sessions | wall s | floor wall s | ratio | cpu s | floor cpu s | cpu ratio | peak RSS MB | subprocesses (count, s) | target | met |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ...figures.map((figure) =>
      [
        figure.command,
        figure.sessions,
        figure.wall.toFixed(3),
        figure.floorWall.toFixed(3),
        ratio(figure.wall, figure.floorWall),
        Number.isNaN(figure.cpu) ? "n/a" : figure.cpu.toFixed(3),
        Number.isNaN(figure.floorCpu) ? "n/a" : figure.floorCpu.toFixed(3),
        ratio(figure.cpu, figure.floorCpu),
        Number.isNaN(figure.rssMb) ? "n/a" : figure.rssMb.toFixed(1),
        figure.subprocesses === undefined
          ? "-"
          : figure.subprocesses === "n/a"
            ? "n/a (strace not installed)"
            : `${figure.subprocesses.count}, ${figure.subprocesses.seconds.toFixed(3)}`,
        figure.target,
        figure.met === undefined ? "unchecked" : figure.met ? "yes" : "**NO**"
      ].join(" | ")
    ).map((row) => `| ${row} |`)
  ].join("\n")

const main = async () => {
  process.stdout.write(`uptime before: ${await uptime()} (${cores()} cores: a load above that many means runs waited for a core)\n`)
  const large = await createSandbox({ projectId: "bench" })
  const small = await createSandbox({ projectId: "bench" })
  let figures: Array<Figure> = []
  try {
    await growTo(large, SESSIONS)
    await growTo(small, 1)
    process.stderr.write(`fleets of ${SESSIONS} and 1 sessions ready\n`)
    figures = [
      ...(await startup(small)),
      ...(await reads(large, small)),
      ...(await lifecycle(large, SESSIONS)),
      ...(await lifecycle(small, 1))
    ]
  } finally {
    await large.dispose()
    await small.dispose()
  }
  process.stdout.write(
    `\nMedians of ${RUNS} runs, each paired with a bare \`node -e 0\` (the floor) run just before it; ${process.platform}, node ${process.version}${
      hasTime ? "" : "; /usr/bin/time missing, so no CPU or RSS figures"
    }\n\n${table(figures)}\n\nuptime after: ${await uptime()}\n`
  )
  const missed = figures.filter((figure) => figure.met === false)
  if (missed.length > 0) {
    process.stdout.write(`\nMissed ${missed.length} target(s): ${missed.map((figure) => `${figure.command} (${figure.target})`).join("; ")}\n`)
    process.exitCode = 1
  }
}

await main()
