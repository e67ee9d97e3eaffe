import { describe, expect, it } from "vitest"
import { CRASH_COMMANDS, runCrashInjection } from "../../src/reliability/crash-injection"
import { freshSeed, seededRandom } from "@ao/e2e-harness"
import { CI_SIZE } from "../../src/reliability/sizes"

describe("reliability: crash injection (CI size)", () => {
  for (const command of CRASH_COMMANDS) {
    it(`ao ${command} SIGKILLed at random moments ${CI_SIZE.crashTrials} times: recovery leaves the invariants whole and loses no byte`, async () => {
      const seed = freshSeed()
      const figures = await runCrashInjection(seededRandom(seed), command, CI_SIZE.crashTrials)
      // The seed is in the expectation, so a failure prints what replays it: npm run reliability -w @ao/tools -- --seed <seed>
      expect({ seed, violations: figures.violations, bytesLost: figures.bytesLost }).toEqual({ seed, violations: [], bytesLost: 0 })
      expect(figures.bytesWritten).toBeGreaterThan(command === "spawn" ? -1 : 0)
    }, 240_000)
  }
})
