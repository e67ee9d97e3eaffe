import { execFileSync } from "node:child_process"
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createFileExclusive, writeFileAtomic } from "../src/disk"
import { tempDir } from "./temp-dir"

describe("disk writes", () => {
  it.scopedLive("the next write in a directory removes a temporary a killed writer left, and keeps a running writer's", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      // A pid that has surely exited: a child that ran and was reaped.
      const deadPid = Number(execFileSync("sh", ["-c", "echo $$"], { encoding: "utf8" }).trim())
      const left = `.${deadPid}-0a1b2c3d4e5f.tmp`
      const running = `.${process.pid}-ffffffffffff.tmp`
      yield* Effect.promise(() => Promise.all([writeFile(join(dir, left), "half"), writeFile(join(dir, running), "in progress")]))
      yield* createFileExclusive(join(dir, "lock"), "1234\n", "volatile")
      expect((yield* Effect.promise(() => readdir(dir))).sort()).toEqual([running, "lock"].sort())
    })
  )

  it.scopedLive("a replacement that fails leaves the old file and no temporary behind", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      yield* Effect.promise(() => writeFile(join(dir, "kept.json"), "old"))
      yield* writeFileAtomic(join(dir, "kept.json"), "new")
      expect(yield* Effect.promise(() => readFile(join(dir, "kept.json"), "utf8"))).toBe("new")
      // A directory where the file should go makes the rename fail after the temporary was written.
      yield* Effect.promise(() => mkdir(join(dir, "blocked.json")))
      const failure = yield* Effect.flip(writeFileAtomic(join(dir, "blocked.json"), "content"))
      expect(failure).toMatchObject({ _tag: "DiskError", operation: "replace", path: join(dir, "blocked.json") })
      expect((yield* Effect.promise(() => readdir(dir))).sort()).toEqual(["blocked.json", "kept.json"])
    })
  )

  it.scopedLive("an exclusive create never replaces what is there, and fails with EEXIST", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const path = join(dir, "name.json")
      yield* createFileExclusive(path, "first")
      const failure = yield* Effect.flip(createFileExclusive(path, "second", "volatile"))
      expect(failure.code).toBe("EEXIST")
      expect(yield* Effect.promise(() => readFile(path, "utf8"))).toBe("first")
      expect(yield* Effect.promise(() => readdir(dir))).toEqual(["name.json"])
    })
  )
})
