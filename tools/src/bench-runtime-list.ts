/**
 * `npm run bench:runtime-list -w @ao/tools [-- --sessions 100 --runs 20]`:
 * starts that many real tmux sessions on a private server, then times
 * `Runtime.list` and counts the processes each call spawns (it must be one
 * tmux and no git, however many sessions there are). Cleans up after itself;
 * exits non-zero when a listing misses sessions or spawns anything else.
 */
import { makeTmuxRuntimeLayer, TmuxClient, type TmuxServerConfig } from "@ao/adapters-tmux"
import { Runtime } from "@ao/domain"
import { Effect, Layer } from "effect"
import childProcess from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { syncBuiltinESMExports } from "node:module"
import { tmpdir } from "node:os"
import { basename, join } from "node:path"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: { sessions: { type: "string", default: "100" }, runs: { type: "string", default: "20" } }
})
const SESSIONS = Number(values.sessions)
const RUNS = Number(values.runs)

/** Every process this one spawns, by program name: execa goes through child_process.spawn. */
const spawned = new Map<string, number>()
const realSpawn = childProcess.spawn
childProcess.spawn = ((...args: Parameters<typeof realSpawn>) => {
  const program = basename(String(args[0]))
  spawned.set(program, (spawned.get(program) ?? 0) + 1)
  return realSpawn(...args)
}) as typeof realSpawn
// Named ESM imports of node:child_process (execa's) see the wrapper only after this.
syncBuiltinESMExports()

const median = (samples: ReadonlyArray<number>): number => {
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const dir = mkdtempSync(join(tmpdir(), "ao-bench-runtime-"))
const config: TmuxServerConfig = { socketName: "bench", env: { ...process.env, TMUX_TMPDIR: dir } }

const killServer = Effect.flatMap(TmuxClient, (tmux) => tmux.run([["kill-server"]])).pipe(
  Effect.provide(TmuxClient.layer(config))
)

const bench = Effect.gen(function* () {
  const runtime = yield* Runtime
  const names = Array.from({ length: SESSIONS }, (_, i) => `bench-${i + 1}`)
  const createStarted = performance.now()
  for (const name of names) {
    const cwd = join(dir, "work", name)
    mkdirSync(cwd, { recursive: true })
    yield* runtime.create({ name, cwd, argv: ["sleep", "3600"], env: { AO_SESSION: name } })
  }
  const createMs = performance.now() - createStarted

  const samples: Array<number> = []
  const processCounts: Array<Record<string, number>> = []
  for (let run = 0; run < RUNS; run++) {
    spawned.clear()
    const started = performance.now()
    const listed = yield* runtime.list
    samples.push(performance.now() - started)
    processCounts.push(Object.fromEntries(spawned))
    if (listed.length !== SESSIONS) return yield* Effect.fail(`list returned ${listed.length} of ${SESSIONS} sessions`)
  }

  const unexpected = processCounts.filter((counts) => counts["tmux"] !== 1 || Object.keys(counts).length !== 1)
  console.log(`sessions:              ${SESSIONS} (created in ${(createMs / 1000).toFixed(1)} s)`)
  console.log(`list runs:             ${RUNS}`)
  console.log(`list median:           ${median(samples).toFixed(1)} ms (min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)})`)
  console.log(`processes per list:    tmux ${processCounts[0]?.["tmux"] ?? 0}, git ${processCounts[0]?.["git"] ?? 0}, other ${Object.keys(processCounts[0] ?? {}).filter((p) => p !== "tmux" && p !== "git").length}`)
  if (unexpected.length > 0) return yield* Effect.fail(`some lists spawned other than exactly one tmux: ${JSON.stringify(unexpected)}`)
})

const program = bench.pipe(
  Effect.provide(Layer.fresh(makeTmuxRuntimeLayer(config))),
  Effect.ensuring(
    killServer.pipe(
      Effect.catchAll((failure) => Effect.sync(() => console.error(`could not kill the bench server: ${String(failure)}`))),
      Effect.andThen(Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
    )
  )
)

Effect.runPromise(program).catch((failure: unknown) => {
  console.error(`bench-runtime-list failed: ${String(failure)}`)
  process.exitCode = 1
})
