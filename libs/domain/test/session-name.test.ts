import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Schema } from "effect"
import {
  branchNameForIssue,
  branchNameForSession,
  IssueId,
  nextNumberedSessionName,
  parseIssueId,
  parseSessionName,
  SessionName,
  SessionPrefix,
  sessionNameForIssue,
  slugify
} from "../src/session-name"

const prefix = SessionPrefix.make("ao")
const issue = (input: string) => Schema.decodeSync(IssueId)(input)

describe("parseSessionName", () => {
  it.effect("accepts session names", () =>
    Effect.gen(function* () {
      expect(yield* parseSessionName("ao-int-1234")).toBe("ao-int-1234")
      expect(yield* parseSessionName("ma-1.2_x")).toBe("ma-1.2_x")
    })
  )

  it.effect.each<readonly [string, string]>([
    ["../x", "it contains '/'"],
    ["a/b", "it contains '/'"],
    ["ao int", "it contains white space"],
    ["", "it is empty"],
    ["a".repeat(300), "it is 300 characters long; the limit is 64"],
    ["-ao", "it starts with '-'"],
    ["a..b", "it contains '..'"],
    ["Ao-1", "only lower-case letters, digits, '.', '_' and '-' are allowed, starting with a letter or digit"]
  ])("rejects %j: %s", ([input, reason]) =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(parseSessionName(input))
      expect(error._tag).toBe("InvalidSessionName")
      expect(error.reason).toBe(reason)
      expect(error.message).toContain(JSON.stringify(input))
    })
  )

  it("guards the schema the same way", () => {
    expect(Schema.is(SessionName)("ao-1")).toBe(true)
    expect(Schema.is(SessionName)("../etc")).toBe(false)
  })
})

describe("issue ids", () => {
  it.effect("strips '#' and spaces, and refuses what a session name could not hold", () =>
    Effect.gen(function* () {
      expect(yield* parseIssueId(" #42 ")).toBe("42")
      const exit = yield* Effect.exit(parseIssueId("INT 12"))
      expect(Exit.isFailure(exit)).toBe(true)
    })
  )
})

describe("naming", () => {
  it("names a session after its issue in lower case", () => {
    expect(sessionNameForIssue(prefix, issue("INT-1234"))).toBe("ao-int-1234")
  })

  it("numbers sessions without an issue after the highest number ever used", () => {
    expect(nextNumberedSessionName(prefix, [])).toBe("ao-1")
    expect(nextNumberedSessionName(prefix, ["ao-1", "ao-10", "ao-int-3", "ma-40", "ao-2"])).toBe("ao-11")
  })

  it("builds branches from the issue and a slug of its title", () => {
    expect(branchNameForIssue(issue("INT-1234"), "Fix errors")).toBe("int-1234-fix-errors")
    expect(branchNameForIssue(issue("INT-1"), undefined)).toBe("int-1")
    expect(branchNameForIssue(issue("INT-1"), "Crème brûlée: `rm -rf /`; and $(more) words here")).toBe(
      "int-1-creme-brulee-rm-rf-and-more"
    )
    expect(branchNameForIssue(issue("INT-1"), "a".repeat(100)).length).toBeLessThanOrEqual(60)
    expect(branchNameForSession(SessionName.make("ao-3"))).toBe("ao/ao-3")
    expect(slugify("!!!")).toBe("")
  })
})
