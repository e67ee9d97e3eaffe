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

  it.effect("refuses s and a number, the form of numbered sessions, so no issue takes their names", () =>
    Effect.gen(function* () {
      for (const input of ["s7", "S12", "#s3"]) {
        const refused = yield* Effect.flip(parseIssueId(input))
        expect(refused.message).toContain("s followed by a number names sessions without an issue")
      }
      expect(yield* parseIssueId("s7x")).toBe("s7x")
      expect(yield* parseIssueId("SEC-7")).toBe("SEC-7")
    })
  )
})

describe("naming", () => {
  it("names a session after its issue in lower case", () => {
    expect(sessionNameForIssue(prefix, issue("INT-1234"))).toBe("ao-int-1234")
  })

  it("numbers sessions without an issue after the highest number ever used, apart from issue names", () => {
    expect(nextNumberedSessionName(prefix, [])).toBe("ao-s1")
    expect(nextNumberedSessionName(prefix, ["ao-s1", "ao-s10", "ao-int-3", "ma-s40", "ao-s2"])).toBe("ao-s11")
    // Sessions of numbered issues (ao spawn app 42) are not numbered sessions: issue 43 keeps its name.
    const afterIssue = nextNumberedSessionName(prefix, ["ao-42"])
    expect(afterIssue).toBe("ao-s1")
    expect(afterIssue).not.toBe(sessionNameForIssue(prefix, issue("43")))
    expect(nextNumberedSessionName(prefix, ["ao-42", "ao-s1"])).not.toBe(sessionNameForIssue(prefix, issue("2")))
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
