/**
 * `npm run bench:dashboard -w @ao/tools [-- --runs 7 --sessions 50 --idle 30]`:
 * the web dashboard in real chromium (Debian's, /usr/bin/chromium) against
 * the REAL built `ao-api` over a sandbox of `--sessions` real sessions (real
 * tmux on a private server, real git, spawned by the built `ao`). Measures:
 *
 * - in the browser, per page load: navigation start to every card on the
 *   board (target: 300 ms; it includes the server answering the list), and
 *   the list's arrival in the page to every card drawn (the render alone:
 *   the issue's "within 300 ms of its data arriving"); medians of `--runs`;
 * - the compressed bytes of the first load (page, script, styles, icon:
 *   what the server sent, gzip; target 150 KB);
 * - the server's CPU (user + system of the ao-api process, from /proc) over
 *   `--idle` seconds with one tab open and nothing changing: only the
 *   tab's event stream (and its heartbeats) is open.
 *
 * Server-side figures are also given as a ratio to a bare `node -e 0`
 * measured in the same run; `uptime` is printed before and after. Exits 1
 * when a target is missed. Build first: `npm run build -w @ao/cli -w @ao/http-api`.
 */
import { aoBinary, createSandbox, type Sandbox, startApiServer } from "@ao/e2e-harness"
import { execa } from "execa"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { chromium, type Page } from "playwright-core"

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "7" },
    sessions: { type: "string", default: "50" },
    idle: { type: "string", default: "30" }
  }
})
const RUNS = Number(values.runs)
const SESSIONS = Number(values.sessions)
const IDLE_SECONDS = Number(values.idle)
const CHROMIUM = "/usr/bin/chromium"
const TOKEN = "bench-dashboard-token"
const RENDER_TARGET_MS = 300
const FIRST_LOAD_TARGET_BYTES = 150 * 1024

const median = (samples: ReadonlyArray<number>): number => {
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2
}

const uptime = async () => (await execa("uptime", [], { reject: false })).stdout.trim()

/** CPU seconds (user + system, the process and its waited-for children) of `pid`, from /proc/<pid>/stat. */
const cpuSeconds = async (pid: number): Promise<number> => {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8")
  // Fields after the command name (which may hold spaces), 1-based from field 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  const ticks = [11, 12, 13, 14].map((index) => Number(fields[index]))
  const hertz = Number((await execa("getconf", ["CLK_TCK"])).stdout) || 100
  return ticks.reduce((sum, each) => sum + each, 0) / hertz
}

/** Wall and CPU seconds of one bare `node -e 0` (the floor). */
const floor = async (): Promise<{ readonly wall: number; readonly cpu: number }> => {
  const started = process.hrtime.bigint()
  const result = await execa("/usr/bin/time", ["-f", "%U %S", process.execPath, "-e", "0"], { reject: false })
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  const [user, system] = result.stderr.trim().split(/\s+/).map(Number)
  return { wall, cpu: (user ?? NaN) + (system ?? NaN) }
}

const spawnFleet = async (sandbox: Sandbox, count: number) => {
  for (let n = 0; n < count; n++) {
    const result = await execa(process.execPath, [aoBinary(), "spawn", "bench"], {
      env: sandbox.env,
      extendEnv: false,
      cwd: sandbox.paths.repo,
      reject: false,
      stdin: "ignore"
    })
    if (result.exitCode !== 0) throw new Error(`ao spawn bench failed (${result.exitCode}): ${result.stderr}`)
  }
}


/** Read in the page: the board stamps \`data-rendered-at\` (performance.now()) when it has drawn the list. */
/**
 * Read in the page: the board stamps when it first drew the list
 * (performance.now(), from navigation start) and how long its latest draw
 * took after the list arrived.
 */
const MEASURE_LOAD = `(() => {
  const stamps = document.getElementById("main").dataset
  const resources = performance.getEntriesByType("resource")
  const navigation = performance.getEntriesByType("navigation")[0]
  const own = resources.filter((entry) => !new URL(entry.name).pathname.startsWith("/api/"))
  return {
    toCards: Number(stamps.firstRenderedAt),
    render: Number(stamps.renderMillis),
    firstLoadBytes: navigation.encodedBodySize + own.reduce((sum, entry) => sum + entry.encodedBodySize, 0)
  }
})()`

/** Waits for the board to show every session (locators: the page's CSP allows no string evaluation). */
const allCards = async (page: Page) => {
  await page.locator(".board .card").nth(SESSIONS - 1).waitFor({ state: "attached", timeout: 120_000 })
  const shown = await page.locator(".board .card").count()
  if (shown !== SESSIONS) throw new Error(`the board shows ${shown} cards, expected ${SESSIONS}`)
}

interface Load {
  /** Navigation start to every card on the board. */
  readonly toCards: number
  /** The session list's arrival in the page to every card drawn (the board's render alone). */
  readonly render: number
  /** Compressed bytes of the page's own files (not the API's answers). */
  readonly firstLoadBytes: number
}

const main = async () => {
  process.stdout.write(`uptime before: ${await uptime()}\n`)
  const sandbox = await createSandbox({ projectId: "bench" })
  const profile = await mkdtemp(join(tmpdir(), "ao-bench-dashboard-"))
  let server: Awaited<ReturnType<typeof startApiServer>> | undefined
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
  })
  try {
    await spawnFleet(sandbox, SESSIONS)
    process.stderr.write(`fleet of ${SESSIONS} sessions ready\n`)
    server = await startApiServer(sandbox, { env: { AO_API_TOKEN: TOKEN } })
    const page = await browser.newPage()
    await page.goto(server.signInUrl!)
    await allCards(page)

    const loads: Array<Load> = []
    for (let run = 0; run < RUNS; run++) {
      // A fresh document each run (the files are served no-cache with no validator, so they come again in full).
      await page.goto("about:blank")
      await page.goto(`${server.url}/?run=${run}`, { waitUntil: "commit" })
      await allCards(page)
      await page.locator("#main[data-first-rendered-at]").waitFor({ state: "attached", timeout: 120_000 })
      loads.push((await page.evaluate(MEASURE_LOAD)) as Load)
    }

    // One tab open on the board, nothing changing: the server should be asleep.
    await page.goto(`${server.url}/`)
    await allCards(page)
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const before = await cpuSeconds(server.pid)
    const idleStarted = process.hrtime.bigint()
    // CPU per 5 s slice, to tell a tail of the page's load from a steady cost.
    const slices: Array<number> = []
    let last = before
    for (let elapsed = 0; elapsed < IDLE_SECONDS; elapsed += 5) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(5, IDLE_SECONDS - elapsed) * 1000))
      const now = await cpuSeconds(server.pid)
      slices.push(now - last)
      last = now
    }
    const idleCpu = last - before
    const idleWall = Number(process.hrtime.bigint() - idleStarted) / 1e9

    const floors = [await floor(), await floor(), await floor()]
    const floorCpu = median(floors.map((each) => each.cpu))
    const floorWall = median(floors.map((each) => each.wall))
    const toCards = median(loads.map((each) => each.toCards))
    const render = median(loads.map((each) => each.render))
    const bytes = Math.max(...loads.map((each) => each.firstLoadBytes))
    const rows = [
      // The issue's target is the render once the data is there (next row); this one adds the
      // page load and the server listing 50 sessions, and is shown for reference only.
      ["navigation start to all cards (browser, median)", `${toCards.toFixed(0)} ms (${(toCards / (floorWall * 1000)).toFixed(2)}× one \`node -e 0\`)`, "none (for reference)", undefined],
      ["session list arrived to all cards (browser, median)", `${render.toFixed(1)} ms`, `≤ ${RENDER_TARGET_MS} ms`, render <= RENDER_TARGET_MS],
      ["first load, compressed (page, script, styles, icon)", `${bytes} B`, `≤ ${FIRST_LOAD_TARGET_BYTES} B`, bytes <= FIRST_LOAD_TARGET_BYTES],
      [
        `ao-api CPU over ${IDLE_SECONDS} s idle, one tab (SSE only)`,
        `${(idleCpu * 1000).toFixed(0)} ms over ${idleWall.toFixed(1)} s = ${((idleCpu / idleWall) * 100).toFixed(2)}% of a core (${(idleCpu / floorCpu).toFixed(2)}× one \`node -e 0\`'s ${(floorCpu * 1000).toFixed(0)} ms CPU)`,
        "idle: under one bare node start",
        idleCpu <= floorCpu
      ]
    ] as const
    process.stdout.write(
      `\n${SESSIONS} real sessions, the real ao-api (pid ${server.pid}), chromium headless, ${RUNS} loads; bare \`node -e 0\`: ${(floorWall * 1000).toFixed(0)} ms wall, ${(floorCpu * 1000).toFixed(0)} ms CPU\n\n` +
        `| figure | measured | target | met |\n| --- | ---: | --- | --- |\n` +
        rows.map(([what, measured, target, met]) => `| ${what} | ${measured} | ${target} | ${met === undefined ? "-" : met ? "yes" : "no"} |`).join("\n") +
        `\n\nao-api CPU per 5 s of the idle window (ms): ${slices.map((each) => (each * 1000).toFixed(0)).join(", ")}` +
        `\nper load (navigation to cards / render ms): ${loads.map((each) => `${each.toCards.toFixed(0)}/${each.render.toFixed(1)}`).join(", ")}\n` +
        `uptime after: ${await uptime()}\n`
    )
    if (rows.some((row) => row[3] === false)) process.exitCode = 1
  } finally {
    await browser.close()
    await server?.stop()
    await sandbox.dispose()
    await rm(profile, { recursive: true, force: true })
  }
}

await main()
