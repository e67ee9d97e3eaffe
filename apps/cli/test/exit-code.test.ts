import { HelpDoc, ValidationError } from "@effect/cli"
import { Exit, FiberId } from "effect"
import { describe, expect, it } from "vitest"
import { CommandFailed } from "../src/command-failed"
import { exitCodeOf } from "../src/exit-code"
import { usageLine } from "../src/usage-line"

describe("exit codes", () => {
  it("are 0 on success, the command's code on a reported failure, 2 for usage, 1 for a bug, 130 when interrupted", () => {
    expect(exitCodeOf(Exit.void)).toBe(0)
    expect(exitCodeOf(Exit.fail(new CommandFailed({ exitCode: 1 })))).toBe(1)
    expect(exitCodeOf(Exit.fail(ValidationError.missingValue(HelpDoc.p("Missing argument <session>"))))).toBe(2)
    expect(exitCodeOf(Exit.die(new Error("bug")))).toBe(1)
    expect(exitCodeOf(Exit.interrupt(FiberId.none))).toBe(130)
  })
})

describe("usage line", () => {
  it("names the deepest command the arguments reach, with its options and arguments", () => {
    const [usage, more] = usageLine(["session", "kill"]).split("\n")
    expect(usage).toMatch(/^Usage: ao session kill .*<session>/)
    expect(more).toBe("More: ao session kill --help")
    expect(usageLine(["session", "bogus"]).split("\n")[1]).toBe("More: ao session --help")
    expect(usageLine(["--nope"]).split("\n")[1]).toBe("More: ao --help")
  })
})
