import { describe, expect, it } from "@effect/vitest"
import { statusAfter } from "../src/rules/status-transition"

describe("statusAfter", () => {
  it("records each lifecycle step with a reason", () => {
    expect(statusAfter({ _tag: "SpawnReserved" })).toEqual({ status: "spawning", statusReason: "reserved by ao spawn" })
    expect(statusAfter({ _tag: "SpawnStarted" })).toEqual({ status: "working", statusReason: "spawned" })
    expect(statusAfter({ _tag: "Kill" })).toEqual({ status: "killed", statusReason: "killed by ao session kill" })
    expect(statusAfter({ _tag: "Restore" })).toEqual({ status: "working", statusReason: "restored" })
  })

  it("marks finished work done and a dead runtime killed", () => {
    expect(statusAfter({ _tag: "Cleanup", criteria: ["pr-merged", "runtime-dead"] })).toEqual({
      status: "done",
      statusReason: "cleanup: PR merged"
    })
    expect(statusAfter({ _tag: "Cleanup", criteria: ["issue-closed"] })).toEqual({
      status: "done",
      statusReason: "cleanup: issue closed"
    })
    expect(statusAfter({ _tag: "Cleanup", criteria: ["runtime-dead"] })).toEqual({
      status: "killed",
      statusReason: "cleanup: runtime dead"
    })
  })
})
