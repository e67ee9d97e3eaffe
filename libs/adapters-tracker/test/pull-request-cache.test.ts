import { Lookup, PullRequest } from "@ao/domain"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { CACHE_FILE, PullRequestCache, PullRequestCacheLive } from "../src/pull-request-cache"

const dir = mkdtempSync(join(tmpdir(), "ao-pr-cache-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("PullRequestCache on disk", () => {
  it.live("writes at once inside one process each write their own temporary file: the cache stays whole and readable", () =>
    Effect.gen(function* () {
      const cache = yield* PullRequestCache
      // Answers of different lengths: two writers sharing one temporary file leave one's tail after the other's text.
      const writes = Array.from(
        { length: 16 },
        (_, i) =>
          new Map([[`s-${i}`, Lookup.found(new PullRequest({ url: `https://github.test/${"p".repeat((16 - i) * 400)}`, number: i + 1, state: "open" }))]])
      )
      yield* Effect.forEach(writes, (entries) => cache.write(entries), { concurrency: "unbounded" })
      const found = yield* cache.read(writes.flatMap((entries) => [...entries.keys()]))
      expect(found.size).toBeGreaterThan(0)
      for (const [key, lookup] of found) expect(lookup).toEqual(writes[Number(key.slice(2))]?.get(key))
      expect(readdirSync(dir)).toEqual([CACHE_FILE])
    }).pipe(Effect.provide(PullRequestCacheLive({ dir, ttl: "1 hour", missTtl: "1 hour" })))
  )
})
