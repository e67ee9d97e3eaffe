import { agentLauncherContract } from "@ao/adapters-memory/contracts/agent-launcher"
import { eventLogContract } from "@ao/adapters-memory/contracts/event-log"
import { type LockSeed, sessionStoreContract } from "@ao/adapters-memory/contracts/session-store"
import { Effect, Layer } from "effect"
import { makeAgentLauncherLayer } from "../src/agent-launcher"
import { AoConfig } from "../src/config/config-layer"
import { makeEventLogLayer } from "../src/event-log"
import { mkdir, utimes, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { currentProcess } from "../src/process-identity"
import { makeSessionStoreLayer, storeLayout } from "../src/session-store"
import { tempDir } from "./temp-dir"
import { DEFAULT_SNAPSHOT_MAX_FILE_BYTES, DEFAULT_SNAPSHOT_SKIP } from "../src/config/config-decoding"

/** Lock files as other ao processes leave them: a live one names this (running) process, a stale one a start time it never had. */
const plantLocks = (dataDir: string, seed: LockSeed) =>
  Effect.promise(async () => {
    const locks = storeLayout(dataDir).locks
    await mkdir(locks, { recursive: true })
    const me = currentProcess()
    const planted = [
      ...(seed.liveLocks ?? []).map((lock) => ({ ...lock, startTicks: me.pid === lock.holderPid ? me.startTicks : null })),
      ...(seed.staleLocks ?? []).map((lock) => ({ ...lock, startTicks: "0" }))
    ]
    for (const lock of planted) {
      const holder = { pid: lock.holderPid, startTicks: lock.startTicks, acquiredAt: new Date().toISOString(), nonce: `planted-${lock.id}` }
      await writeFile(join(locks, `${lock.id}.lock`), `${JSON.stringify(holder, null, 2)}\n`)
    }
  })

/** Temporaries as a writer killed between write and rename leaves them, dated back by their age. */
const plantTemporaries = (dataDir: string, seed: LockSeed) =>
  Effect.promise(async () => {
    for (const [index, left] of (seed.temporaries ?? []).entries()) {
      const dir = storeLayout(dataDir)[left.dir]
      await mkdir(dir, { recursive: true })
      const path = join(dir, `.${left.writerPid}-${index.toString(16).padStart(12, "0")}.tmp`)
      await writeFile(path, "x".repeat(left.bytes))
      const at = new Date(Date.now() - left.ageMinutes * 60_000)
      await utimes(path, at, at)
    }
  })

sessionStoreContract("disk", (seed = {}) =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      yield* plantLocks(dataDir, seed)
      yield* plantTemporaries(dataDir, seed)
      return makeSessionStoreLayer({ dataDir, ...(seed.lockWait === undefined ? {} : { lockWait: seed.lockWait }) })
    })
  )
)

eventLogContract("disk", ({ actor }) =>
  Layer.unwrapScoped(Effect.map(tempDir, (dataDir) => makeEventLogLayer({ dataDir, actor })))
)

// Projects from the user's own config: trust never stands in the way (config-trust.test.ts covers the rest).
agentLauncherContract(
  "disk",
  makeAgentLauncherLayer({ dataDir: "/nonexistent" }).pipe(
    Layer.provide(
      Layer.succeed(AoConfig, {
        source: "/home/me/.config/ao/agent-orchestrator.yaml",
        projects: [],
        github: { apiUrl: "https://api.github.com" },
        port: 3000,
        snapshot: { skip: DEFAULT_SNAPSHOT_SKIP, maxFileBytes: DEFAULT_SNAPSHOT_MAX_FILE_BYTES },
        sources: [],
        sourceOf: () => ({ path: "/home/me/.config/ao/agent-orchestrator.yaml", sha256: "0", own: true })
      })
    )
  )
)
