import { attachTarget, Runtime, sendMessage } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { MemoryRuntimeControl } from "../../src/runtime"
import { eventKinds, inWorld, spawnForIssue } from "./world-fixture"

describe("sendMessage", () => {
  it.effect("types the message into the pane and confirms it by reading the pane back", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const result = yield* sendMessage("ao-int-1", "Please add tests\nfor the parser too")
      expect(result).toEqual({ id: "ao-int-1", confirmed: true })
      expect(yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.sent("ao-int-1"))).toEqual([
        "Please add tests\nfor the parser too"
      ])
      expect(yield* eventKinds("ao-int-1")).toContain("message-sent")
    }).pipe(inWorld())
  )

  it.effect("reports an unconfirmed message after retrying the read a few times", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const runtime = yield* Runtime
      const blank = Runtime.of({ ...runtime, capture: () => Effect.succeed("") })
      const fiber = yield* Effect.fork(sendMessage("ao-int-1", "hello").pipe(Effect.provideService(Runtime, blank)))
      yield* TestClock.adjust("5 seconds")
      expect(yield* Fiber.join(fiber)).toEqual({ id: "ao-int-1", confirmed: false })
    }).pipe(inWorld())
  )

  it.effect("refuses an empty message, and a session that is not running", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      expect((yield* Effect.flip(sendMessage("ao-int-1", "  \n")))._tag).toBe("InvalidInput")
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.exitAgent("ao-int-1"))
      const error = yield* Effect.flip(sendMessage("ao-int-1", "hello"))
      expect([error._tag, error.message]).toEqual(["SessionNotRunning", "Session ao-int-1 is not running"])
    }).pipe(inWorld())
  )
})

describe("attachTarget", () => {
  it.effect("gives the runtime's attach argv, or SessionNotRunning with the restore hint", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      expect(yield* attachTarget("ao-int-1")).toEqual({ id: "ao-int-1", argv: ["memory-runtime", "attach", "ao-int-1"] })
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash("ao-int-1"))
      const error = yield* Effect.flip(attachTarget("ao-int-1"))
      expect(error._tag).toBe("SessionNotRunning")
      expect(error._tag === "SessionNotRunning" && error.hint).toBe("Restore it first: ao session restore ao-int-1")
    }).pipe(inWorld())
  )
})
