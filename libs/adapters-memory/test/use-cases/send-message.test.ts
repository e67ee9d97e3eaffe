import { attachTarget, occurrencesInPane, Runtime, sendKey, sendMessage } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { MemoryRuntimeControl } from "../../src/runtime"
import { eventKinds, inWorld, spawnForIssue } from "./world-fixture"

describe("sendMessage", () => {
  it.effect("types the message into the pane and confirms it by reading the pane back", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const result = yield* sendMessage("ao-int-1", "Please add tests\nfor the parser too")
      expect(result).toEqual({ id: "ao-int-1", delivery: "confirmed" })
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
      expect(yield* Fiber.join(fiber)).toEqual({ id: "ao-int-1", delivery: "unconfirmed" })
    }).pipe(inWorld())
  )

  it.effect("does not take the same words already in the scrollback for delivery: only a new occurrence confirms", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryRuntimeControl, (control) => control.print("ao-int-1", "Continue? yes"))
      const runtime = yield* Runtime
      // The agent ignores what is typed: nothing new reaches the pane.
      const deaf = Runtime.of({ ...runtime, sendText: () => Effect.void })
      const fiber = yield* Effect.fork(sendMessage("ao-int-1", "yes").pipe(Effect.provideService(Runtime, deaf)))
      yield* TestClock.adjust("5 seconds")
      expect(yield* Fiber.join(fiber)).toEqual({ id: "ao-int-1", delivery: "unconfirmed" })
      expect(yield* sendMessage("ao-int-1", "yes")).toEqual({ id: "ao-int-1", delivery: "confirmed" })
    }).pipe(inWorld())
  )

  it.effect("without waiting, sends and does not read the pane back", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const runtime = yield* Runtime
      const unreadable = Runtime.of({ ...runtime, capture: () => Effect.die("read the pane") })
      const result = yield* sendMessage("ao-int-1", "go on", { wait: false }).pipe(Effect.provideService(Runtime, unreadable))
      expect(result).toEqual({ id: "ao-int-1", delivery: "not-checked" })
      expect(yield* Effect.flatMap(MemoryRuntimeControl, (control) => control.sent("ao-int-1"))).toEqual(["go on"])
    }).pipe(inWorld())
  )

  it.effect("refuses control characters, naming the first and its offset, before anything is typed", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      for (const [text, expected] of [
        ["stop\u0003", "Ctrl-C (U+0003) at offset 4"],
        ["ok\n\tthen \u001b[201~ escape", "ESC (starts an escape sequence) (U+001B) at offset 9"],
        ["\u001b]52;c;aGk=\u0007", "ESC (starts an escape sequence) (U+001B) at offset 0"],
        ["a\rb", "carriage return (U+000D) at offset 1"],
        ["del\u007f", "DEL (U+007F) at offset 3"],
        ["c1\u0085", "a C1 control character (U+0085) at offset 2"]
      ] as const) {
        const error = yield* Effect.flip(sendMessage("ao-int-1", text))
        expect(error._tag).toBe("InvalidInput")
        expect(error.message).toContain(expected)
      }
      expect(yield* Effect.flatMap(MemoryRuntimeControl, (control) => control.sent("ao-int-1"))).toEqual([])
      expect(yield* eventKinds("ao-int-1")).not.toContain("message-sent")
    }).pipe(inWorld())
  )

  it.effect("presses a key of the fixed list, and refuses any other", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      expect(yield* sendKey("ao-int-1", "Escape")).toEqual({ id: "ao-int-1", key: "Escape" })
      const error = yield* Effect.flip(sendKey("ao-int-1", "\u001b[A"))
      expect(error._tag).toBe("InvalidInput")
      expect(error.message).toMatch(/^Invalid key ".*": press one of Escape, C-c, Enter, Up, Down, Tab$/)
      expect(yield* Effect.flatMap(MemoryRuntimeControl, (control) => control.keys("ao-int-1"))).toEqual(["Escape"])
      expect(yield* eventKinds("ao-int-1")).toContain("key-sent")
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

describe("occurrencesInPane", () => {
  it("counts the message's last line where it stands alone, across wrapped lines, ignoring white space", () => {
    expect(occurrencesInPane("> yes\nheard: yes", "yes")).toBe(2)
    expect(occurrencesInPane("Ready\nyesterday", "y")).toBe(0)
    expect(occurrencesInPane("Ready\n> y", "y")).toBe(1)
    expect(occurrencesInPane("> please run\nthe tests  ", "please run the tests")).toBe(1)
    expect(occurrencesInPane("anything", "first\n\n  ")).toBe(0)
  })
})

describe("attachTarget", () => {
  it.effect("gives the runtime's attach argv, or SessionNotRunning with the restore hint", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      expect(yield* attachTarget("ao-int-1")).toEqual({ id: "ao-int-1", argv: ["memory-runtime", "-S", "/memory/tmux-0/default", "attach", "ao-int-1"] })
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash("ao-int-1"))
      const error = yield* Effect.flip(attachTarget("ao-int-1"))
      expect(error._tag).toBe("SessionNotRunning")
      expect(error._tag === "SessionNotRunning" && error.hint).toBe("Restore it first: ao session restore ao-int-1")
    }).pipe(inWorld())
  )
})
