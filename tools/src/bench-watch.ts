/**
 * `npm run bench:watch -w @ao/tools [-- --runs 5]` (build `ao` first:
 * `npm run build -w @ao/cli`): one `ao watch --once` pass of the built `ao`
 * over 50 sessions in 3 repositories against the loopback GitHub emulator,
 * and a running `ao watch` between passes (after its first pass). Reports GitHub requests per pass
 * (target ≤ 3, one per repository), the pass's wall and CPU time as ratios to
 * a bare `node -e 0` measured in the same run, its peak RSS, and the idle
 * watcher's CPU over 10 s (target < 1% of a core). The pass must have seen
 * all 50 sessions and every PR (no "could not be read" warning), or the
 * numbers are worth nothing and the run fails.
 */
import { readFile } from "node:fs/promises"
import { existsSync } from "node:fs"
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { makeSessionStoreLayer, resolveDataDir } from "@ao/adapters-store"
import { IssueId, ProjectId, Session, SessionName, SessionStore } from "@ao/domain"
import { aoBinary, createSandbox, type Sandbox } from "@ao/e2e-harness"
import { DateTime, Effect, Option } from "effect"
import { execa } from "execa"
import { startGitHubEmulator } from "./github-emulator/index"

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } })
const RUNS = Math.max(Number(values.runs), 1)
const TOKEN = "ghp_benchWatchToken"
const SESSIONS = 50
const PROJECTS = [
  { id: "api", repo: "acme/api" },
  { id: "web", repo: "acme/web" },
  { id: "cli", repo: "acme/cli" }
] as const
const TIME = "/usr/bin/time"

interface Sample {
  readonly wall: number
  readonly cpu: number
  readonly rssMb: number
  readonly stdout: string
  readonly stderr: string
}

const timed = async (sandbox: Sandbox, argv: ReadonlyArray<string>): Promise<Sample> => {
  const stats = join(sandbox.paths.root, "time.txt")
  const started = process.hrtime.bigint()
  const result = await execa(TIME, ["-f", "%U %S %M", "-o", stats, ...argv], {
    env: sandbox.env,
    extendEnv: false,
    cwd: sandbox.paths.repo,
    reject: false,
    stdin: "ignore"
  })
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  if (result.exitCode !== 0) throw new Error(`${argv.join(" ")} failed (${result.exitCode}): ${result.stderr}`)
  const [user = NaN, system = NaN, rssKb = NaN] = (await readFile(stats, "utf8")).trim().split("\n").at(-1)!.split(/\s+/).map(Number)
  return { wall, cpu: user + system, rssMb: rssKb / 1024, stdout: result.stdout, stderr: result.stderr }
}

const median = (numbers: ReadonlyArray<number>) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? NaN

/** CPU seconds (user + system) a live process has used, from /proc. */
const cpuSecondsOf = async (pid: number): Promise<number> => {
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ")
  const ticks = Number(fields[11]) + Number(fields[12])
  return ticks / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim())
}

const uptime = () => execFileSync("uptime", { encoding: "utf8" }).trim()

const main = async () => {
  if (!existsSync(aoBinary())) throw new Error(`${aoBinary()} is missing: run npm run build -w @ao/cli first`)
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing: install GNU time (apt-get install time)`)
  console.log(`uptime before: ${uptime()}`)
  const emulator = await startGitHubEmulator({ port: 0, token: TOKEN })
  const sandbox = await createSandbox({
    projectId: "api",
    env: { GITHUB_TOKEN: TOKEN },
    config: (paths) =>
      [
        "projects:",
        ...PROJECTS.flatMap((project) => [
          `  ${project.id}:`,
          `    path: ${JSON.stringify(paths.repo)}`,
          `    repo: ${project.repo}`,
          "    defaultBranch: main",
          `    sessionPrefix: ${project.id}`,
          "    tracker: github",
          "    scm: github"
        ]),
        "github:",
        `  apiUrl: ${JSON.stringify(emulator.url)}`,
        // A command notifier that succeeds at once: the pass's cost is ao's, not a desktop's.
        "notifiers:",
        '  - { type: command, command: ["true"] }',
        ""
      ].join("\n")
  })
  try {
    // 50 records (no tmux sessions: their agents read as exited), each with an open PR and an issue; every 5th PR is red.
    const dataDir = resolveDataDir(sandbox.env, sandbox.paths.home, sandbox.paths.repo)
    const now = DateTime.unsafeNow()
    const sessions = Array.from({ length: SESSIONS }, (_, index) => {
      const project = PROJECTS[index % PROJECTS.length]!
      const n = index + 1
      emulator.control.setIssue(project.repo, { number: n, title: `Issue ${n}` })
      emulator.control.setPullRequest(project.repo, { number: 100 + n, head: `${n}-work`, state: "open" })
      if (n % 5 === 0) {
        emulator.control.setPullRequestReview(project.repo, 100 + n, {
          checkRuns: [{ name: "test", status: "completed", conclusion: "failure", id: 9000 + n, log: "FAIL x.test.ts" }]
        })
      }
      return new Session({
        id: SessionName.make(`${project.id}-${n}`),
        projectId: ProjectId.make(project.id),
        issueId: Option.some(IssueId.make(String(n))),
        branch: `${n}-work`,
        workspacePath: join(sandbox.paths.root, "worktrees", `${project.id}-${n}`),
        runtimeHandle: `${project.id}-${n}`,
        agent: "claude",
        status: "working",
        statusReason: "spawned",
        pr: Option.none(),
        createdAt: now,
        lastActivityAt: now,
        restoredAt: Option.none(),
        snapshotRef: Option.none()
      })
    })
    await Effect.runPromise(
      Effect.forEach(sessions, (session) => Effect.flatMap(SessionStore, (store) => store.create(session))).pipe(
        Effect.provide(makeSessionStoreLayer({ dataDir }))
      )
    )

    const floors: Array<Sample> = []
    const passes: Array<Sample & { readonly requests: number }> = []
    for (let run = 0; run < RUNS; run++) {
      floors.push(await timed(sandbox, [process.execPath, "-e", "0"]))
      const before = emulator.control.requestCount()
      const pass = await timed(sandbox, [process.execPath, aoBinary(), "watch", "--once", "--json"])
      const requests = emulator.control.requestCount() - before
      const report = JSON.parse(pass.stdout) as { readonly sessions: number; readonly warnings: ReadonlyArray<string> }
      if (report.sessions !== SESSIONS || report.warnings.length > 0) {
        throw new Error(`the pass saw ${report.sessions} of ${SESSIONS} sessions, warnings: ${report.warnings.join("; ")}`)
      }
      passes.push({ ...pass, requests })
    }
    const first = passes[0]!
    const graphql = emulator.control.requests().filter((request) => request.path === "/graphql").length

    // The watcher between passes: measured over 30 s (the default interval) once its first pass has
    // printed its report. A 10 s window was mostly the first pass's own tail (1.2% of a core on a quiet machine).
    const watcher = execa(process.execPath, [aoBinary(), "watch", "--interval", "1h", "--json"], {
      env: sandbox.env,
      extendEnv: false,
      cwd: sandbox.paths.repo,
      reject: false,
      stdin: "ignore"
    })
    await new Promise<void>((resolve, reject) => {
      watcher.stdout?.once("data", () => resolve())
      void watcher.then((result) => reject(new Error(`the watcher exited (${result.exitCode}): ${result.stderr}`)))
    })
    const pid = watcher.pid!
    const cpuBefore = await cpuSecondsOf(pid)
    const wallBefore = process.hrtime.bigint()
    await new Promise((resolve) => setTimeout(resolve, 30_000))
    const idleCpu = (await cpuSecondsOf(pid)) - cpuBefore
    const idleWall = Number(process.hrtime.bigint() - wallBefore) / 1e9
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1])
    watcher.kill("SIGTERM")
    await watcher

    const floorWall = median(floors.map((sample) => sample.wall))
    const floorCpu = median(floors.map((sample) => sample.cpu))
    const wall = median(passes.map((sample) => sample.wall))
    const cpu = median(passes.map((sample) => sample.cpu))
    const requests = Math.max(...passes.slice(1).map((sample) => sample.requests), 0)
    console.log(`uptime after: ${uptime()}`)
    console.log("| measure | value | floor (node -e 0) | ratio | target | met |")
    console.log("| --- | --- | --- | --- | --- | --- |")
    console.log(`| GitHub requests, first pass (GraphQL + job logs) | ${first.requests} | | | ≤ 3 + 1 per new failing check (10) | ${first.requests <= 3 + 10 ? "yes" : "no"} |`)
    console.log(`| GitHub requests, later passes | ${requests} | | | ≤ 3 | ${requests <= 3 ? "yes" : "no"} |`)
    console.log(`| GraphQL requests over all ${RUNS} passes | ${graphql} | | | ${3 * RUNS} | ${graphql <= 3 * RUNS ? "yes" : "no"} |`)
    console.log(`| pass wall, median of ${RUNS} | ${wall.toFixed(3)} s | ${floorWall.toFixed(3)} s | ${(wall / floorWall).toFixed(1)}× | | |`)
    console.log(`| pass CPU, median of ${RUNS} | ${cpu.toFixed(3)} s | ${floorCpu.toFixed(3)} s | ${(cpu / floorCpu).toFixed(1)}× | | |`)
    console.log(`| pass peak RSS | ${first.rssMb.toFixed(0)} MB | ${floors[0]!.rssMb.toFixed(0)} MB | | | |`)
    console.log(`| running watcher RSS | ${(rssKb / 1024).toFixed(0)} MB | | | | |`)
    const share = (idleCpu / idleWall) * 100
    console.log(`| idle watcher CPU over ${idleWall.toFixed(1)} s | ${share.toFixed(2)}% of a core | | | < 1% | ${share < 1 ? "yes" : "no"} |`)
  } finally {
    await sandbox.dispose()
    await emulator.close()
  }
}

await main()
