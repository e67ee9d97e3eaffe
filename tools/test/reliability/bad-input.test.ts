import { describe, expect, it } from "vitest"
import { badInputCases, runBadInput } from "../../src/reliability/bad-input"

describe("reliability: bad input (every case)", () => {
  it(`${badInputCases().length} bad session names, prefix collisions, config files, session files and messages: a clear error naming the input, and no side effect`, async () => {
    const figures = await runBadInput()
    expect(figures.withSideEffects).toEqual([])
    expect(figures.unclear).toEqual([])
  }, 240_000)
})
