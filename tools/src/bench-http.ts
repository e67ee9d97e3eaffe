/**
 * `npm run bench:http -w @ao/tools [-- --sessions 50 --connections 32 --seconds 10]`:
 * load on the built `ao-api` listing real sessions. It starts the server in a
 * sandbox (temp HOME, private tmux server, real git repository), spawns the
 * sessions through the API (real worktrees, real tmux sessions running the
 * stand-in agent), then runs wrk against GET /api/sessions on loopback, for
 * a bounded time: once at `--connections` (concurrent identical reads share
 * one listing) and once at a single connection (every request runs its own
 * listing). Prints requests/s and p50/p99 latency against the goal
 * (>= 300 req/s, p99 < 100 ms). Needs wrk (apt-get install wrk) and the
 * built server (npm run build -w @ao/http-api).
 */
import { createSandbox, startApiServer } from "@ao/e2e-harness"
import { execa } from "execa"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "50" },
    connections: { type: "string", default: "32" },
    seconds: { type: "string", default: "10" }
  }
})
const SESSIONS = Number(values.sessions)
const CONNECTIONS = Number(values.connections)
const SECONDS = Math.min(Number(values.seconds), 60)
const GOAL = { requestsPerSecond: 300, p99Millis: 100 }

interface LoadResult {
  readonly connections: number
  readonly requestsPerSecond: number
  readonly p50Millis: number
  readonly p99Millis: number
  readonly requests: number
  readonly failures: number
}

const MILLIS_PER_UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000 }

const millis = (text: string): number => {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text)
  if (match?.[1] === undefined || match[2] === undefined) throw new Error(`wrk printed a latency I cannot read: ${text}`)
  return Number(match[1]) * (MILLIS_PER_UNIT[match[2]] ?? Number.NaN)
}

/** Runs wrk for SECONDS and reads its summary. */
const load = async (url: string, connections: number): Promise<LoadResult> => {
  const threads = Math.min(2, connections)
  const result = await execa("wrk", [`-t${threads}`, `-c${connections}`, `-d${SECONDS}s`, "--latency", url])
  const out = result.stdout
  const field = (pattern: RegExp) => {
    const found = pattern.exec(out)?.[1]
    if (found === undefined) throw new Error(`wrk output lacks ${pattern}:\n${out}`)
    return found
  }
  const failures =
    Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) +
    (/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)?.slice(1).reduce((sum, n) => sum + Number(n), 0) ?? 0)
  return {
    connections,
    requestsPerSecond: Number(field(/Requests\/sec:\s+([\d.]+)/)),
    p50Millis: millis(field(/^\s+50%\s+(\S+)$/m)),
    p99Millis: millis(field(/^\s+99%\s+(\S+)$/m)),
    requests: Number(field(/(\d+) requests in/)),
    failures
  }
}

const spawnSessions = async (url: string, projectId: string) => {
  for (let n = 0; n < SESSIONS; n++) {
    const response = await fetch(`${url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ project: projectId })
    })
    if (response.status !== 201) throw new Error(`spawn failed (${response.status}): ${await response.text()}`)
  }
  const listed = (await (await fetch(`${url}/api/sessions`)).json()) as ReadonlyArray<{ readonly runtimeAlive: boolean }>
  const alive = listed.filter((session) => session.runtimeAlive).length
  if (listed.length !== SESSIONS || alive !== SESSIONS) {
    throw new Error(`expected ${SESSIONS} live sessions, the API lists ${listed.length} (${alive} alive)`)
  }
}

/** The goal is set for the fleet of dashboards (`--connections`); the single-connection run shows the cost of one listing. */
const row = (result: LoadResult) => {
  const meets = result.requestsPerSecond >= GOAL.requestsPerSecond && result.p99Millis < GOAL.p99Millis
  const verdict = result.connections === CONNECTIONS ? (meets ? "yes" : "no") : "n/a"
  return `| ${result.connections} | ${result.requestsPerSecond.toFixed(0)} | ${result.p50Millis.toFixed(1)} | ${result.p99Millis.toFixed(1)} | ${result.requests} | ${result.failures} | ${verdict} |`
}

const main = async () => {
  // wrk --version exits non-zero; only a missing binary leaves no exit code.
  const wrk = await execa("wrk", ["--version"], { reject: false })
  if (wrk.exitCode === undefined) throw new Error("wrk is not installed: apt-get install wrk")
  const sandbox = await createSandbox({ projectId: "bench" })
  const server = await startApiServer(sandbox)
  const url = server.url
  try {
    await spawnSessions(url, sandbox.paths.projectId)
    process.stderr.write(`${SESSIONS} sessions spawned; ${SECONDS} s of load per run\n`)
    const target = `${url}/api/sessions`
    const results = [await load(target, CONNECTIONS), await load(target, 1)]
    process.stdout.write(
      [
        `GET /api/sessions listing ${SESSIONS} real sessions (tmux + git worktrees), wrk ${SECONDS} s per run, ${process.platform}, node ${process.version}`,
        `goal: >= ${GOAL.requestsPerSecond} req/s and p99 < ${GOAL.p99Millis} ms at ${CONNECTIONS} connections`,
        "",
        "| connections | req/s | p50 ms | p99 ms | requests | non-2xx or socket errors | meets goal |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
        ...results.map(row),
        ""
      ].join("\n")
    )
    if (results.some((result) => result.failures > 0)) process.exitCode = 1
  } finally {
    await server.stop()
    await sandbox.dispose()
  }
}

await main()
