import { describe, expect, it } from "vitest"
import { CI_SIZE } from "../../src/reliability/sizes"
import { runConcurrency } from "../../src/reliability/concurrency"
import { freshSeed, seededRandom } from "@ao/e2e-harness"

describe("reliability: concurrency (CI size)", () => {
  it(`${CI_SIZE.concurrency.spawns} spawns at once, then ${CI_SIZE.concurrency.mixed} kills, restores and cleanups at once, then the same through the HTTP API and the CLI side by side: records match reality`, async () => {
    const seed = freshSeed()
    const figures = await runConcurrency(seededRandom(seed), CI_SIZE.concurrency)
    expect({ seed, defects: figures.defects, violations: figures.violations }).toEqual({ seed, defects: [], violations: [] })
    expect(figures.spawnsSucceeded).toBe(CI_SIZE.concurrency.spawns)
  // A hang catcher, not a speed limit: at load average 45 on 2 cores this case ran past 240 s.
  }, 900_000)
})
