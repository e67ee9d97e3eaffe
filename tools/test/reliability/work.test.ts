import { freshSeed, seededRandom } from "@ao/e2e-harness"
import { describe, expect, it } from "vitest"
import { CI_SIZE } from "../../src/reliability/sizes"
import { runWork, WORK_COMMANDS } from "../../src/reliability/work"

describe("reliability: work inventory (CI size)", () => {
  for (const command of WORK_COMMANDS) {
    it(`ao ${command} run to its end on ${CI_SIZE.workTrials} session(s) with work of every kind removes the worktree and loses no byte`, async () => {
      const seed = freshSeed()
      const figures = await runWork(seededRandom(seed), command, CI_SIZE.workTrials)
      // The seed is in the expectation, so a failure prints what replays it: npm run reliability -w @ao/tools -- --suites work --seed <seed>
      expect({ seed, violations: figures.violations, missingBefore: figures.bytesMissingBefore, bytesLost: figures.bytesLost, removed: figures.removed }).toEqual({
        seed,
        violations: [],
        missingBefore: 0,
        bytesLost: 0,
        removed: CI_SIZE.workTrials
      })
      for (const bytes of Object.values(figures.bytesByKind)) expect(bytes).toBeGreaterThan(0)
    }, 600_000)
  }
})
