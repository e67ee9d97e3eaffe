import { describe, expect, it } from "vitest"
import { Option } from "effect"
import { renderStatus } from "../src/render/status"
import { plainStyle } from "../src/render/style"
import { warningLines } from "../src/render/warnings"
import { HOME, pullRequest, view } from "./fixtures"

const REASON = "GitHub returned 502 after 3 attempts"

describe("warnings", () => {
  it("one line per warning on stderr, naming the sessions (at most three) and the reason", () => {
    const sessions = ["ao-1", "ao-2", "ao-3", "ao-4", "ao-5"]
    expect(
      warningLines(
        [
          { about: "pr", projectId: "ao", sessions: ["ao-1"], reason: REASON },
          { about: "issue", projectId: "ao", sessions: ["ao-1", "ao-2"], reason: REASON },
          { about: "pr", projectId: "ao", sessions, reason: "GitHub rejected the token (401 Bad credentials)" }
        ],
        false
      )
    ).toEqual([
      `Warning: could not look up the PR of ao-1: ${REASON}`,
      `Warning: could not look up the issue of ao-1 and ao-2: ${REASON}`,
      "Warning: could not look up the PR of ao-1, ao-2, ao-3 and 2 more sessions: GitHub rejected the token (401 Bad credentials)"
    ])
  })

  it("a restored done session whose issue is still closed: the next cleanup ends it again, in text and in --json", () => {
    const warning = { about: "issue", projectId: "ao", sessions: ["ao-int-1"], reason: "issue INT-1 is still closed", kind: "cleanup-again" } as const
    expect(warningLines([warning], false)).toEqual([
      "Warning: issue INT-1 is still closed: the next ao session cleanup will end ao-int-1 again"
    ])
    expect(JSON.parse(warningLines([warning], true)[0] ?? "")).toMatchObject({ warning: { kind: "cleanup-again", sessions: ["ao-int-1"] } })
  })

  it("in --json mode, one JSON object per line", () => {
    const [line] = warningLines([{ about: "pr", projectId: "ao", sessions: ["ao-1"], reason: REASON }], true)
    expect(JSON.parse(line ?? "")).toEqual({
      warning: { about: "pr", project: "ao", sessions: ["ao-1"], reason: REASON, message: `could not look up the PR of ao-1: ${REASON}` }
    })
  })
})

describe("status", () => {
  const rows = [
    { ...view("ao-int-1"), issue: Option.none(), summary: Option.none(), unchecked: [{ about: "pr" as const, reason: REASON }, { about: "issue" as const, reason: REASON }] },
    { ...view("ao-int-2"), pr: Option.some(pullRequest(7)), issue: Option.none(), summary: Option.none(), unchecked: [] }
  ]

  it("marks with ? only what could not be looked up; an untracked issue id stands alone", () => {
    const text = renderStatus({ rows, broken: [] }, { style: plainStyle, homeDir: HOME })
    const [, first, second] = text.split("\n")
    expect(first).toMatch(/ao-int-1 .* \? +INT-1234 \? /)
    expect(second).toMatch(/ao-int-2 .* #7 open +INT-1234 +\d/)
  })
})
