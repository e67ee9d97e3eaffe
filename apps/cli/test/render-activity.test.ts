import { DateTime, Option } from "effect"
import { describe, expect, it } from "vitest"
import { renderSessionList } from "../src/render/session-list"
import { renderStatus } from "../src/render/status"
import { plainStyle } from "../src/render/style"
import { HOME, view } from "./fixtures"

const waiting = view("ao-1", {
  activity: {
    state: "waiting",
    since: DateTime.unsafeMake(0),
    source: "hook",
    detail: Option.some("Claude needs your permission to use Bash"),
    reason: "the agent asked for a person"
  }
})

describe("agent states in the CLI's text", () => {
  it("ls shows the agent's state in brackets", () => {
    const text = renderSessionList({ sessions: [waiting], broken: [], hiddenEnded: 0 }, { style: plainStyle, homeDir: HOME, headers: true }).stdout
    expect(text).toContain("  ao-1  (2m)  int-1234-fix-errors  [waiting]")
  })

  it("status shows what a waiting agent asks", () => {
    const text = renderStatus({ rows: [{ ...waiting, issue: Option.none(), summary: Option.none() }], broken: [] }, { style: plainStyle, homeDir: HOME })
    expect(text).toContain("waiting: Claude needs your permission to use Bash")
  })

  it("status shows each agent's last message below the table, and nothing for an agent without a transcript", () => {
    const text = renderStatus(
      {
        rows: [
          { ...waiting, issue: Option.none(), summary: Option.some("Fixed the login form. Added a test for it.") },
          { ...view("ao-2"), issue: Option.none(), summary: Option.none() }
        ],
        broken: []
      },
      { style: plainStyle, homeDir: HOME }
    )
    const lines = text.split("\n")
    expect(lines.slice(-2)).toEqual(["", "ao-1 said: Fixed the login form. Added a test for it."])
    expect(text).not.toContain("ao-2 said")
  })

  it("status --waiting with nobody waiting says so", () => {
    expect(renderStatus({ rows: [], broken: [] }, { style: plainStyle, homeDir: HOME, waiting: true })).toBe(
      "No session is waiting for a person."
    )
  })
})
