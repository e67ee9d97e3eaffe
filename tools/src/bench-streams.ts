/**
 * `npm run bench:streams -w @ao/tools [-- --streams 2000 --probes 400]`:
 * floods the built `ao-api` with event streams, past its caps, and measures
 * what the server pays. Two runs over a sandbox (temp HOME, private tmux,
 * real git): the default caps (one local client: the per-client cap is
 * reached), then a per-client cap above the total (the total cap is
 * reached). In each: how many streams were admitted (every one must get
 * `ready`) and refused (every one must be a 429 naming the cap), the
 * server's resident memory and CPU with the caps reached, and GET
 * /api/health p50/p99 over `--probes` sequential requests, first with no
 * stream open, then while the streams stay open; afterwards one spawn's
 * event must reach every open stream. Times are also given as ratios to a bare `node -e 0` measured in
 * the same run. Goal: health p99 < 50 ms with the caps reached.
 */
import { createSandbox, startApiServer } from "@ao/e2e-harness"
import { execa } from "execa"
import { readFileSync } from "node:fs"
import { get, type IncomingMessage } from "node:http"
import { parseArgs } from "node:util"

const { values } = parseArgs({ options: { streams: { type: "string", default: "2000" }, probes: { type: "string", default: "400" } } })
const STREAMS = Number(values.streams)
const PROBES = Number(values.probes)
const GOAL_P99_MILLIS = 50
const CLOCK_TICKS = 100

interface OpenStream {
  readonly response: IncomingMessage
  text: string
}

/** Opens one stream: admitted (after `ready`) or refused with its status and error tag. */
const openStream = (url: string) =>
  new Promise<{ readonly admitted: OpenStream } | { readonly refused: string }>((resolve, reject) => {
    const request = get(`${url}/api/events`, { agent: false }, (response) => {
      if (response.statusCode !== 200) {
        let body = ""
        response.on("data", (chunk: Buffer) => (body += chunk.toString()))
        response.on("end", () => {
          const tag = (JSON.parse(body) as { readonly error: { readonly tag: string } }).error.tag
          resolve({ refused: `${response.statusCode} ${tag}` })
        })
        return
      }
      const stream: OpenStream = { response, text: "" }
      response.on("data", (chunk: Buffer) => {
        stream.text += chunk.toString()
        if (stream.text.includes("event: ready")) resolve({ admitted: stream })
      })
    })
    request.on("error", reject)
  })

/** p50 and p99 of GET /api/health over PROBES sequential requests, each checked. */
const probeHealth = async (url: string): Promise<readonly [number, number]> => {
  const latencies: Array<number> = []
  for (let probe = 0; probe < PROBES; probe++) {
    const started = performance.now()
    const response = await fetch(`${url}/api/health`)
    if (response.status !== 200 || ((await response.json()) as { readonly status: string }).status !== "ok") {
      throw new Error(`/api/health answered ${response.status}`)
    }
    latencies.push(performance.now() - started)
  }
  const sorted = latencies.sort((a, b) => a - b)
  return [percentile(sorted, 0.5), percentile(sorted, 0.99)]
}

const percentile = (sorted: ReadonlyArray<number>, share: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!

/** utime + stime of a process, in seconds. */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
}
const rssMegabytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024

const bareNodeMillis = async () => {
  const times: Array<number> = []
  for (let run = 0; run < 5; run++) {
    const started = performance.now()
    await execa("node", ["-e", "0"])
    times.push(performance.now() - started)
  }
  return times.sort((a, b) => a - b)[2]!
}

const run = async (label: string, env: Readonly<Record<string, string>>, nodeMillis: number) => {
  const sandbox = await createSandbox({ projectId: "demo" })
  const server = await startApiServer(sandbox, { env })
  try {
    const rssBefore = rssMegabytes(server.pid)
    const idle = await probeHealth(server.url)
    const outcomes = await Promise.all(Array.from({ length: STREAMS }, () => openStream(server.url)))
    const admitted = outcomes.flatMap((outcome) => ("admitted" in outcome ? [outcome.admitted] : []))
    const refusals = new Map<string, number>()
    for (const outcome of outcomes) if ("refused" in outcome) refusals.set(outcome.refused, (refusals.get(outcome.refused) ?? 0) + 1)
    if ([...refusals.keys()].some((refusal) => !refusal.startsWith("429 TooManyStreams"))) {
      throw new Error(`refused other than by a cap: ${JSON.stringify([...refusals])}`)
    }

    const cpuStart = cpuSeconds(server.pid)
    const wallStart = performance.now()
    const loaded = await probeHealth(server.url)
    const cpuShare = (cpuSeconds(server.pid) - cpuStart) / ((performance.now() - wallStart) / 1000)
    const rssAfter = rssMegabytes(server.pid)
    const spawned = await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ project: "demo" })
    })
    if (spawned.status !== 201) throw new Error(`the spawn failed: ${spawned.status}`)
    const deadline = Date.now() + 60_000
    while (admitted.some((stream) => !stream.text.includes("event: spawned"))) {
      if (Date.now() > deadline) throw new Error("not every open stream got the spawned event within 60 s")
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const [p50, p99] = loaded
    for (const stream of admitted) stream.response.destroy()
    console.log(
      [
        `${label}: ${STREAMS} streams asked for, ${admitted.length} admitted (each got ready and the spawned event), refused: ${[...refusals].map(([what, count]) => `${count} × ${what}`).join(", ") || "none"}`,
        `  server memory: ${rssBefore.toFixed(0)} MB before, ${rssAfter.toFixed(0)} MB with the caps reached`,
        `  server CPU while probing with the caps reached: ${(cpuShare * 100).toFixed(1)}% of one core`,
        `  GET /api/health over ${PROBES} requests, no stream open: p50 ${idle[0].toFixed(2)} ms, p99 ${idle[1].toFixed(2)} ms`,
        `  GET /api/health over ${PROBES} requests, caps reached: p50 ${p50.toFixed(2)} ms (${(p50 / nodeMillis).toFixed(3)} × node -e 0), p99 ${p99.toFixed(2)} ms (${(p99 / nodeMillis).toFixed(3)} × node -e 0); goal p99 < ${GOAL_P99_MILLIS} ms: ${p99 < GOAL_P99_MILLIS ? "met" : "MISSED"}`
      ].join("\n")
    )
    return p99 < GOAL_P99_MILLIS
  } finally {
    await server.stop("SIGKILL")
    await sandbox.dispose()
  }
}

const nodeMillis = await bareNodeMillis()
console.log(`bare node -e 0: ${nodeMillis.toFixed(1)} ms (median of 5); load: ${readFileSync("/proc/loadavg", "utf8").trim()}`)
const perClient = await run("per-client cap (defaults: 256 total, 64 per client)", {}, nodeMillis)
const total = await run("total cap (256 total, per-client cap lifted)", { AO_API_MAX_STREAMS_PER_CLIENT: "999999" }, nodeMillis)
if (!perClient || !total) process.exitCode = 1
