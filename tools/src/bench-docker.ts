/**
 * `npm run bench:docker -w @ao/tools [-- --sizes 1,10,50 --runs 3]`: spawn,
 * `ls` and kill with the docker runtime beside the tmux runtime, at each
 * number of sessions, on a private dockerd (never the machine's engine).
 *
 * Every time is printed as a ratio to a bare `node -e 0` run just before it
 * (same environment), with `uptime` before and after: absolute times on a
 * shared machine mean little. The engine is reached through a counting
 * proxy socket, so the table also says how many Engine API calls one `ls`
 * made; the bench exits 1 when that is not exactly one (one list call per
 * engine), or when an answer is wrong (sessions listed, containers left).
 */
import { aoBinary, createSandbox, engineContainers, importTestImage, type PrivateDockerd, type Sandbox, startPrivateDockerd } from "@ao/e2e-harness"
import { execa } from "execa"
import { chmod, writeFile } from "node:fs/promises"
import { connect, createServer, type Server } from "node:net"
import { join } from "node:path"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: { sizes: { type: "string", default: "1,10,50" }, runs: { type: "string", default: "3" } }
})
const SIZES = (values.sizes ?? "1,10,50").split(",").map(Number)
const RUNS = Number(values.runs)

/** The agent: waits for input, as a real one does; bash and cat are in the test image. */
const AGENT = `#!/usr/bin/env bash
echo "bench agent ready"
exec cat
`

/** A unix socket in front of the engine that counts the HTTP requests going through it. */
const countingProxy = async (engine: PrivateDockerd): Promise<{ url: string; count: () => number; reset: () => void; close: () => void }> => {
  let requests = 0
  const socketPath = join(engine.dir, "proxy.sock")
  const server: Server = createServer((client) => {
    const upstream = connect(engine.socketPath)
    client.on("data", (chunk: Buffer) => {
      requests += (chunk.toString("latin1").match(/^(GET|POST|PUT|DELETE|HEAD) \/v[\d.]+\//gm) ?? []).length
      upstream.write(chunk)
    })
    upstream.pipe(client)
    client.on("end", () => upstream.end())
    client.on("error", () => upstream.destroy())
    upstream.on("error", () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(socketPath, resolve))
  return {
    url: `unix://${socketPath}`,
    count: () => requests,
    reset: () => {
      requests = 0
    },
    close: () => server.close()
  }
}

const seconds = async (sandbox: Sandbox, argv: ReadonlyArray<string>): Promise<{ wall: number; stdout: string }> => {
  const started = process.hrtime.bigint()
  const result = await execa(argv[0] ?? "node", argv.slice(1), { env: sandbox.env, extendEnv: false, cwd: sandbox.paths.repo, reject: false, stdin: "ignore" })
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  if (result.exitCode !== 0) throw new Error(`${argv.join(" ")} failed (${result.exitCode}): ${result.stderr}`)
  return { wall, stdout: result.stdout }
}

/** One `ao` run and the `node -e 0` run just before it: the ratio of the two. */
const pairedRatio = async (sandbox: Sandbox, args: ReadonlyArray<string>) => {
  const floor = await seconds(sandbox, [process.execPath, "-e", "0"])
  const run = await seconds(sandbox, [process.execPath, aoBinary(), ...args])
  return { ratio: run.wall / floor.wall, wall: run.wall, floor: floor.wall, stdout: run.stdout }
}

const median = (samples: ReadonlyArray<number>): number => {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

const uptime = async () => (await execa("uptime", [], { reject: false })).stdout.trim()

interface Row {
  readonly runtime: string
  readonly sessions: number
  readonly spawn: number
  readonly ls: number
  readonly kill: number
  readonly lsMs: number
  readonly engineCalls: string
}

const formatRow = (row: Row) =>
  `${row.runtime.padEnd(8)} ${String(row.sessions).padStart(8)}  ${row.spawn.toFixed(2).padStart(10)}×  ${row.ls.toFixed(2).padStart(7)}×  ${row.kill.toFixed(2).padStart(9)}×  ${row.lsMs.toFixed(0).padStart(7)}  ${row.engineCalls}`

const problems: Array<string> = []
const expectThat = (holds: boolean, what: string) => {
  if (!holds) problems.push(what)
}

const listedCount = (stdout: string) => (JSON.parse(stdout) as ReadonlyArray<unknown>).length

/** Grows the sandbox's sessions to each size in turn; at each: spawn ratio (median of the spawns made), ls, one kill. */
const measure = async (runtime: string, sandbox: Sandbox, proxy: Awaited<ReturnType<typeof countingProxy>> | undefined): Promise<Array<Row>> => {
  const rows: Array<Row> = []
  let live: Array<string> = []
  for (const size of SIZES) {
    const spawns: Array<number> = []
    while (live.length < size) {
      const spawned = await pairedRatio(sandbox, ["spawn", "bench", "--json"])
      spawns.push(spawned.ratio)
      live.push((JSON.parse(spawned.stdout) as { name: string }).name)
    }
    const lsRuns: Array<{ ratio: number; wall: number; calls: number }> = []
    for (let run = 0; run < RUNS; run++) {
      proxy?.reset()
      const listed = await pairedRatio(sandbox, ["session", "ls", "--json"])
      expectThat(listedCount(listed.stdout) === size, `${runtime}: ls listed ${listedCount(listed.stdout)} sessions, expected ${size}`)
      lsRuns.push({ ratio: listed.ratio, wall: listed.wall, calls: proxy?.count() ?? 0 })
    }
    const calls = [...new Set(lsRuns.map((run) => run.calls))]
    if (proxy !== undefined) expectThat(calls.length === 1 && calls[0] === 1, `${runtime} at ${size}: ls made ${calls.join("/")} Engine calls, expected 1`)
    const victim = live.at(-1) as string
    const killed = await pairedRatio(sandbox, ["session", "kill", victim])
    live = live.slice(0, -1)
    const row: Row = {
      runtime,
      sessions: size,
      spawn: median(spawns),
      ls: median(lsRuns.map((run) => run.ratio)),
      kill: killed.ratio,
      lsMs: median(lsRuns.map((run) => run.wall)) * 1000,
      engineCalls: proxy === undefined ? "-" : calls.join("/")
    }
    rows.push(row)
    process.stdout.write(`measured: ${formatRow(row)}\n`)
  }
  for (const name of live) await seconds(sandbox, [process.execPath, aoBinary(), "session", "kill", name])
  return rows
}

const projectConfig = (paths: Sandbox["paths"], docker: { image: string; url: string } | undefined) =>
  [
    "projects:",
    "  bench:",
    `    path: ${JSON.stringify(paths.repo)}`,
    "    defaultBranch: main",
    "    sessionPrefix: bench",
    "    tracker: none",
    `    agent: { launch: [${JSON.stringify(join(paths.root, "bin", "agent"))}], resume: [${JSON.stringify(join(paths.root, "bin", "agent"))}] }`,
    ...(docker === undefined
      ? []
      : [
          "    runtime: docker",
          "    docker:",
          `      image: ${docker.image}`,
          `      engine: ${JSON.stringify(docker.url)}`,
          "      network: none",
          `      mounts: [${JSON.stringify(`${join(paths.root, "bin")}:${join(paths.root, "bin")}:ro`)}]`
        ]),
    ""
  ].join("\n")

const sandboxFor = async (docker: { image: string; url: string } | undefined) => {
  const sandbox = await createSandbox({ projectId: "bench", config: (paths) => projectConfig(paths, docker) })
  const agent = join(sandbox.paths.root, "bin", "agent")
  await writeFile(agent, AGENT)
  await chmod(agent, 0o755)
  return sandbox
}

const main = async () => {
  process.stdout.write(`uptime before: ${await uptime()}\n`)
  const started = await startPrivateDockerd()
  if (started._tag === "Unavailable") throw new Error(`no private dockerd: ${started.reason}`)
  const engine = started.engine
  const proxy = await countingProxy(engine)
  const rows: Array<Row> = []
  try {
    const image = await importTestImage(engine)
    const tmux = await sandboxFor(undefined)
    try {
      rows.push(...(await measure("tmux", tmux, undefined)))
    } finally {
      await tmux.dispose()
    }
    const docker = await sandboxFor({ image, url: proxy.url })
    try {
      rows.push(...(await measure("docker", docker, proxy)))
      const left = await engineContainers(engine, "dev.ao.project=bench")
      expectThat(left.length === 0, `containers left after every kill: ${left.length}`)
    } finally {
      await docker.dispose()
    }
  } finally {
    proxy.close()
    await engine.stop()
  }
  const header = "runtime  sessions  spawn/floor  ls/floor  kill/floor  ls (ms)  Engine calls per ls"
  const lines = rows.map(formatRow)
  process.stdout.write(`\n${header}\n${lines.join("\n")}\n\n(ratios to a bare \`node -e 0\` run just before each; ls: median of ${RUNS})\n`)
  process.stdout.write(`uptime after: ${await uptime()}\n`)
  if (problems.length > 0) {
    process.stdout.write(`\nMISSED:\n${problems.map((problem) => `- ${problem}`).join("\n")}\n`)
    process.exitCode = 1
  }
}

await main()
