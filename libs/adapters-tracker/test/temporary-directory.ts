import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"

/** A fresh directory under the system temp dir, removed when the scope closes. */
export const temporaryDirectory = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "ao-tracker-test-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)
