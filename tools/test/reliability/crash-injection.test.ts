import { describe, expect, it } from "vitest"
import { CRASH_COMMANDS, MIN_MIDWAY_SHARE, runCrashInjection } from "../../src/reliability/crash-injection"
import { freshSeed, seededRandom } from "@ao/e2e-harness"
import { CI_SIZE } from "../../src/reliability/sizes"

describe("reliability: crash injection (CI size)", () => {
  /** Trials whose crash left drift that ao doctor sees, per command and seed. */
  const drift = new Map<string, number>()
  // Each trial has its own HOME, repository and tmux socket, and each run times its kill window
  // from its own uninterrupted runs under the load there is, so the four commands run side by side.
  describe.concurrent("each command", () => {
    for (const command of CRASH_COMMANDS) {
      it(`ao ${command} SIGKILLed at random moments ${CI_SIZE.crashTrials} times, at least ${MIN_MIDWAY_SHARE * 100}% of them mid-command: recovery leaves the invariants whole and loses no byte`, async () => {
        const seed = freshSeed()
        const figures = await runCrashInjection(seededRandom(seed), command, CI_SIZE.crashTrials)
        // The seed is in each expectation, so a failure prints what replays it: npm run reliability -w @ao/tools -- --seed <seed>
        expect({ seed, violations: figures.violations, bytesLost: figures.bytesLost }).toEqual({ seed, violations: [], bytesLost: 0 })
        expect({ seed, killedMidway: figures.killedMidway >= Math.ceil(MIN_MIDWAY_SHARE * figures.trials) }).toEqual({ seed, killedMidway: true })
        drift.set(`${command} (seed ${seed})`, figures.leftDrift)
        if (command !== "spawn") expect(figures.bytesWritten).toBeGreaterThan(0)
      }, 900_000)
    }
  })

  // The crashes left drift for the recoveries to deal with: a run where none did tested nothing. Asked of the
  // whole suite, not of each command: a few trials of an idempotent command (restore) may all leave none.
  it("the crashes, all commands together, left drift that ao doctor saw", () => {
    expect(drift.size).toBe(CRASH_COMMANDS.length)
    expect({ drift: Object.fromEntries(drift), leftDrift: [...drift.values()].some((trials) => trials > 0) }).toMatchObject({ leftDrift: true })
  })
})
