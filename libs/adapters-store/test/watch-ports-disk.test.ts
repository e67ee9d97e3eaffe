import { aLedgerEntry, ReopenedLedger, reactionLedgerContract } from "@ao/adapters-memory/contracts/reaction-ledger"
import { aHolder, watchLeaseContract } from "@ao/adapters-memory/contracts/watch-lease"
import { ReactionLedger } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { appendFile } from "node:fs/promises"
import { Context, Effect, Layer } from "effect"
import { makeReactionLedger, reactionLedgerPath } from "../src/watch/reaction-ledger"
import { makeWatchLease, makeWatchLeaseLayer } from "../src/watch/watch-lease"
import { tempDir } from "./temp-dir"

reactionLedgerContract("disk", () =>
  Layer.unwrapScoped(
    Effect.map(tempDir, (dataDir) =>
      Layer.succeedContext(
        Context.make(ReactionLedger, makeReactionLedger({ dataDir })).pipe(
          Context.add(ReopenedLedger, { open: Effect.sync(() => makeReactionLedger({ dataDir })) })
        )
      )
    )
  )
)

watchLeaseContract("disk", () => Layer.unwrapScoped(Effect.map(tempDir, (dataDir) => makeWatchLeaseLayer({ dataDir }))))

describe("disk watch ports", () => {
  it.scoped("a dead watcher's lease is taken over", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString()
      const lease = makeWatchLease({ dataDir })
      expect(yield* lease.acquire(aHolder("gone", { pid: Number(dead) }))).toEqual({ _tag: "Acquired" })
      expect(yield* lease.acquire(aHolder("next"))).toEqual({ _tag: "Acquired" })
      const third = yield* makeWatchLease({ dataDir }).acquire(aHolder("third"))
      expect(third._tag === "Held" && third.holder.id).toBe("next")
    })
  )

  it.scoped("a torn last line of the ledger (a crash mid-append) is passed over, and the next entry starts afresh", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      const ledger = makeReactionLedger({ dataDir })
      yield* ledger.record(aLedgerEntry())
      yield* Effect.promise(() => appendFile(reactionLedgerPath(dataDir), '{"sessionId":"app-1","ki'))
      yield* ledger.record(aLedgerEntry({ trigger: "next" }))
      expect((yield* ledger.entries).map((entry) => entry.trigger)).toEqual(["abc123", "next"])
    })
  )
})

