/**
 * `npm run bench -w @ao/adapters-store [-- --active 50 --archived 2000 --runs 20]`:
 * fills a temp data dir with active and archived sessions through the disk
 * store, then times the calls `ao session ls` and the mutations make. Listing
 * active sessions must not grow with the archive: the run prints both.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { ProjectId, Session, SessionName, SessionStore } from "@ao/domain"
import { DateTime, Effect, Option } from "effect"
import { makeSessionStoreLayer } from "../src/session-store"

const { values } = parseArgs({
  options: {
    active: { type: "string", default: "50" },
    archived: { type: "string", default: "2000" },
    runs: { type: "string", default: "20" }
  }
})
const ACTIVE = Number(values.active)
const ARCHIVED = Number(values.archived)
const RUNS = Number(values.runs)

const session = (id: string, status: Session["status"]) =>
  new Session({
    id: SessionName.make(id),
    projectId: ProjectId.make("bench"),
    issueId: Option.none(),
    branch: `ao/${id}`,
    workspacePath: `/worktrees/bench-${id}`,
    runtimeHandle: id,
    agent: "claude",
    status,
    statusReason: "benchmark",
    pr: Option.none(),
    createdAt: DateTime.unsafeMake("2026-01-01T00:00:00Z"),
    lastActivityAt: DateTime.unsafeMake("2026-01-01T00:00:00Z"),
    restoredAt: Option.none(),
    snapshotRef: Option.none()
  })

const median = (samples: ReadonlyArray<number>) => {
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const time = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const samples: Array<number> = []
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now()
      yield* effect
      samples.push(performance.now() - started)
    }
    console.log(`${label.padEnd(34)} median ${median(samples).toFixed(2)} ms (min ${Math.min(...samples).toFixed(2)}, max ${Math.max(...samples).toFixed(2)})`)
  })

const dataDir = mkdtempSync(join(tmpdir(), "ao-bench-store-"))

const bench = Effect.gen(function* () {
  const store = yield* SessionStore
  const createStarted = performance.now()
  for (let n = 1; n <= ACTIVE; n++) yield* store.create(session(`bench-${n}`, "working"))
  const createMs = (performance.now() - createStarted) / ACTIVE
  yield* time(`list active, ${ACTIVE} active, no archive`, store.list({ includeEnded: false }))
  for (let n = 1; n <= ARCHIVED; n++) yield* store.create(session(`old-${n}`, "killed"))
  console.log(`create (reserve + write + fsync)   ${createMs.toFixed(2)} ms per session`)
  yield* time(`list active, ${ACTIVE} active, ${ARCHIVED} archived`, store.list({ includeEnded: false }))
  yield* time(`list --all, ${ACTIVE + ARCHIVED} sessions`, store.list({ includeEnded: true }))
  yield* time("get one", store.get("bench-1"))
  yield* time("update one (lock + atomic write)", store.update("bench-1", Effect.succeed))
  yield* time("names", store.names)
})

const program = bench.pipe(
  Effect.provide(makeSessionStoreLayer({ dataDir })),
  Effect.ensuring(Effect.sync(() => rmSync(dataDir, { recursive: true, force: true })))
)

Effect.runPromise(program).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
