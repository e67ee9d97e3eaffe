import { describe, expect, it } from "@effect/vitest"
import { type RuntimeServerEvidence, runtimeServerVerdict } from "../src/index"

const evidence = (overrides: Partial<RuntimeServerEvidence>): RuntimeServerEvidence => ({
  address: "/tmp/a/tmux-1000/default",
  pid: 4242,
  socket: "missing",
  pidAlive: false,
  detail: "no server running on /tmp/a/tmux-1000/default",
  ...overrides
})

describe("runtimeServerVerdict: runtime dead needs evidence", () => {
  it("no socket and the recorded server process gone: dead", () => {
    expect(runtimeServerVerdict(evidence({}))).toEqual({ _tag: "Dead" })
  })

  it("a socket nobody listens on (left by a server that exited) and the process gone: dead", () => {
    expect(runtimeServerVerdict(evidence({ socket: "refused" }))).toEqual({ _tag: "Dead" })
  })

  it("the recorded process still runs: unknown, whatever the socket says", () => {
    for (const socket of ["missing", "refused", "unreachable"] as const) {
      const verdict = runtimeServerVerdict(evidence({ socket, pidAlive: true }))
      expect(verdict._tag).toBe("Unknown")
      expect(verdict._tag === "Unknown" && verdict.reason).toContain("pid 4242")
    }
  })

  it("a socket that exists but cannot be asked (permission denied, no answer in time): unknown even with the process gone", () => {
    const verdict = runtimeServerVerdict(
      evidence({ socket: "unreachable", detail: "error connecting to /tmp/a/tmux-1000/default (Permission denied)" })
    )
    expect(verdict).toEqual({
      _tag: "Unknown",
      reason:
        "the tmux server at /tmp/a/tmux-1000/default (pid 4242) could not be asked: error connecting to /tmp/a/tmux-1000/default (Permission denied)"
    })
  })
})
