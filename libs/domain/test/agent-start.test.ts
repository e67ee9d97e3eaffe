import { describe, expect, it } from "@effect/vitest"
import { DateTime } from "effect"
import { AgentDidNotStart, agentStart, exitStatusPending, lastOutputLines, type RuntimeSessionInfo } from "../src/index"

const info = (overrides: Partial<RuntimeSessionInfo> = {}): RuntimeSessionInfo => ({
  name: "ao-1",
  createdAt: DateTime.unsafeMake(0),
  lastActivityAt: DateTime.unsafeMake(0),
  attachedClients: 0,
  paneDead: false,
  paneCommand: "claude",
  path: "/w/ao-1",
  ...overrides
})

describe("agentStart", () => {
  it("a live pane is running; a dead one exited, with its status when known; no session vanished", () => {
    expect(agentStart(info())).toEqual({ _tag: "Running" })
    expect(agentStart(info({ paneDead: true, exitStatus: 127 }))).toEqual({ _tag: "Exited", exitStatus: 127 })
    expect(agentStart(info({ paneDead: true }))).toEqual({ _tag: "Exited", exitStatus: undefined })
    expect(agentStart(undefined)).toEqual({ _tag: "Vanished" })
  })

  it("only a dead pane without its status yet is worth another look", () => {
    expect([info(), info({ paneDead: true, exitStatus: 0 }), info({ paneDead: true }), undefined].map((one) => exitStatusPending(agentStart(one)))).toEqual([
      false,
      false,
      true,
      false
    ])
  })
})

describe("lastOutputLines", () => {
  it("keeps the last non-empty lines, trailing blanks trimmed", () => {
    expect(lastOutputLines("a  \n\n\nb\nc\n\n", 2)).toEqual(["b", "c"])
    expect(lastOutputLines("")).toEqual([])
  })
})

describe("AgentDidNotStart", () => {
  const failure = (fields: Partial<ConstructorParameters<typeof AgentDidNotStart>[0]>) =>
    new AgentDidNotStart({ id: "ao-1", program: "foo", launch: ["foo", "--x y"], output: [], checkedAfterSeconds: 1, ...fields })

  it("says the program is missing for 127, not executable for 126, and how the agent exited otherwise", () => {
    expect(failure({ exitStatus: 127 }).message).toBe(
      "agent command `foo` not found on PATH (exit status 127); session ao-1 was rolled back (no record, worktree or branch left)"
    )
    expect(failure({ exitStatus: 126 }).message).toContain("agent command `foo` cannot be executed (exit status 126)")
    expect(failure({ exitStatus: 1 }).message).toContain("the agent exited within 1 s of starting (exit status 1)")
    expect(failure({}).message).toContain("the agent exited within 1 s of starting;")
    expect(failure({ vanished: true }).message).toContain("the agent's tmux session ended within 1 s of starting")
  })

  it("shows the pane's last lines and the next step, quoting the command as a shell would read it", () => {
    expect(failure({ exitStatus: 2, output: ["oops"] }).hint).toBe(
      "Its last output:\n  oops\nRun `foo '--x y'` in the repository to see why it exits, or set `agent:` in agent-orchestrator.yaml to a command that keeps running"
    )
    expect(failure({ exitStatus: 127 }).hint).toMatch(/^The pane printed nothing\.\nInstall `foo`, or set `agent:`/)
  })
})
