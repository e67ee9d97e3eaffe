import { execFile } from "node:child_process"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { promisify } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import { build } from "esbuild"
import { Effect } from "effect"
import { tempDir } from "./temp-dir"

const run = promisify(execFile)

describe("disk SessionStore across processes", () => {
  it.scopedLive("of four processes racing to reserve one name, exactly one wins", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const script = join(dir, "create-session.mjs")
      yield* Effect.promise(() =>
        build({
          entryPoints: [join(import.meta.dirname, "fixtures", "create-session.ts")],
          bundle: true,
          platform: "node",
          format: "esm",
          outfile: script,
          logLevel: "silent"
        })
      )
      const dataDir = join(dir, "data")
      const outcomes = yield* Effect.promise(() =>
        Promise.all([1, 2, 3, 4].map(() => run(process.execPath, [script, dataDir, "app-7"]).then(({ stdout }) => stdout)))
      )
      expect([...outcomes].sort()).toEqual(["SessionAlreadyExists", "SessionAlreadyExists", "SessionAlreadyExists", "created"])
      const stored = JSON.parse(yield* Effect.promise(() => readFile(join(dataDir, "sessions", "app-7.json"), "utf8")))
      expect(stored.agent).toMatch(/^pid-\d+$/)
    })
  )
})
