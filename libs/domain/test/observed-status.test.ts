import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Option } from "effect"
import { lastActivityOf, observedStatus } from "../src/rules/observed-status"
import { aRuntime, aSession, T0 } from "./session-fixture"

const idleAfter = Duration.minutes(5)
const at = (minutes: number) => DateTime.add(T0, { minutes })

describe("observedStatus", () => {
  it("keeps a recorded terminal status whatever the runtime says", () => {
    for (const status of ["killed", "done", "exited"] as const) {
      const observed = observedStatus(aSession({ status }), Option.some(aRuntime({ attachedClients: 2 })), T0, idleAfter)
      expect(observed.status).toBe(status)
    }
  })

  it("keeps spawning while ao spawn has not finished", () => {
    expect(observedStatus(aSession({ status: "spawning" }), Option.none(), T0, idleAfter)).toMatchObject({
      status: "spawning",
      runtimeAlive: false
    })
  })

  it("shows the stored status with the runtime-dead marker when the tmux session is gone (not exited)", () => {
    const observed = observedStatus(aSession({ status: "idle" }), Option.none(), at(60), idleAfter)
    expect(observed).toMatchObject({ status: "idle", runtimeAlive: false })
    expect(observed.reason).toContain("ao-int-1 does not exist")
  })

  it("shows exited when the pane is dead, with the runtime still alive", () => {
    expect(observedStatus(aSession(), Option.some(aRuntime({ paneDead: true })), T0, idleAfter)).toMatchObject({
      status: "exited",
      runtimeAlive: true
    })
  })

  it("shows active while a client is attached, even when quiet", () => {
    expect(observedStatus(aSession(), Option.some(aRuntime({ attachedClients: 1 })), at(60), idleAfter).status).toBe("active")
  })

  it("turns idle only once quiet for longer than the threshold", () => {
    const runtime = Option.some(aRuntime())
    expect(observedStatus(aSession(), runtime, at(5), idleAfter).status).toBe("working")
    expect(observedStatus(aSession(), runtime, DateTime.add(at(5), { millis: 1 }), idleAfter).status).toBe("idle")
  })

  it("measures quiet from the later of the record's and the runtime's activity", () => {
    const runtime = Option.some(aRuntime({ lastActivityAt: at(10) }))
    expect(lastActivityOf(aSession(), runtime)).toEqual(at(10))
    expect(lastActivityOf(aSession({ lastActivityAt: at(20) }), runtime)).toEqual(at(20))
    expect(observedStatus(aSession(), runtime, at(12), idleAfter).status).toBe("working")
  })
})
