import { describe, expect, it } from "vitest"
import { badInputCases, runBadInput } from "../../src/reliability/bad-input"

describe("reliability: bad input (every case)", () => {
  it("every case expects words its error must contain: none is satisfied by any output", () => {
    expect(badInputCases().filter((badInput) => badInput.names.some((words) => words.trim() === "")).map((badInput) => badInput.name)).toEqual([])
  })

  it(`${badInputCases().length} bad session names, prefix collisions, config files, session files and messages: a clear error naming the input, and no side effect`, async () => {
    const figures = await runBadInput()
    expect(figures.withSideEffects).toEqual([])
    expect(figures.unclear).toEqual([])
  // A hang catcher, not a speed limit: at load average 45 on 2 cores this case ran past 240 s.
  }, 900_000)
})
