import { ActivityLog, attachTarget, occurrencesInPane, Runtime, sendKey, sendMessage } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Fiber, TestClock } from "effect"
import { MemoryRuntimeControl } from "../../src/runtime"
import { eventKinds, inWorld, spawnForIssue } from "./world-fixture"

describe("sendMessage", () => {
  /** A stand-in that answers each submitted line, so the pane changes after Enter. */
  const answering = { runtime: { agent: () => ({ onInput: (text: string) => ({ output: `heard: ${text}` }) }) } }

  it.effect("pastes the message, waits to see it, presses Enter and confirms by the pane changing after it", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const result = yield* sendMessage("ao-int-1", "Please add tests\nfor the parser too")
      expect(result).toEqual({ id: "ao-int-1", delivery: "confirmed", confirmedBy: "screen", enterPresses: 1 })
      const control = yield* MemoryRuntimeControl
      expect(yield* control.sent("ao-int-1")).toEqual(["Please add tests\nfor the parser too"])
      expect(yield* control.keys("ao-int-1")).toEqual(["Enter"])
      expect(yield* eventKinds("ao-int-1")).toContain("message-sent")
    }).pipe(inWorld(answering))
  )

  it.effect("an agent with hooks is confirmed only by its report of taking the prompt after the send began", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const log = yield* ActivityLog
      const startedAt = yield* DateTime.now
      yield* log.append("ao-int-1", { at: startedAt, state: "working", event: "UserPromptSubmit", submitted: true })
      yield* TestClock.adjust("1 second")
      const runtime = yield* Runtime
      // The hook fires when Enter lands, as Claude Code's UserPromptSubmit does; the pane never changes.
      const hooked = Runtime.of({
        ...runtime,
        sendKey: (name, key) =>
          Effect.zipRight(
            runtime.sendKey(name, key),
            Effect.orDie(Effect.flatMap(DateTime.now, (at) => log.append(name, { at, state: "working", event: "UserPromptSubmit", submitted: true })))
          )
      })
      const result = yield* sendMessage("ao-int-1", "yes").pipe(Effect.provideService(Runtime, hooked))
      expect(result).toEqual({ id: "ao-int-1", delivery: "confirmed", confirmedBy: "hook", enterPresses: 1 })

      // The old report (before this send) and a changing pane prove nothing for a hooked agent: Enter twice, unconfirmed.
      yield* TestClock.adjust("1 second")
      const fiber = yield* Effect.fork(sendMessage("ao-int-1", "again"))
      yield* TestClock.adjust("30 seconds")
      expect(yield* Fiber.join(fiber)).toEqual({ id: "ao-int-1", delivery: "unconfirmed", confirmedBy: null, enterPresses: 2 })
      expect(yield* Effect.flatMap(MemoryRuntimeControl, (control) => control.keys("ao-int-1"))).toEqual(["Enter", "Enter", "Enter"])
    }).pipe(inWorld(answering))
  )

  it.effect("an answer to a waiting agent's question is confirmed by its next report that is not a question", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const log = yield* ActivityLog
      yield* log.append("ao-int-1", { at: yield* DateTime.now, state: "waiting", event: "Notification", detail: "Claude needs your permission to use Bash" })
      yield* TestClock.adjust("1 second")
      const runtime = yield* Runtime
      // Answering a permission prompt fires no UserPromptSubmit: the tool runs, and PostToolUse follows.
      const granting = (event: string, state: "working" | "waiting") =>
        Runtime.of({
          ...runtime,
          sendKey: (name, key) =>
            Effect.zipRight(runtime.sendKey(name, key), Effect.orDie(Effect.flatMap(DateTime.now, (at) => log.append(name, { at, state, event }))))
        })
      const result = yield* sendMessage("ao-int-1", "yes").pipe(Effect.provideService(Runtime, granting("PostToolUse", "working")))
      expect(result).toEqual({ id: "ao-int-1", delivery: "confirmed", confirmedBy: "hook", enterPresses: 1 })

      // Another question after the answer is no confirmation.
      yield* log.append("ao-int-1", { at: yield* DateTime.now, state: "waiting", event: "Notification", detail: "again" })
      yield* TestClock.adjust("1 second")
      const fiber = yield* Effect.fork(sendMessage("ao-int-1", "yes").pipe(Effect.provideService(Runtime, granting("Notification", "waiting"))))
      yield* TestClock.adjust("30 seconds")
      expect(yield* Fiber.join(fiber)).toMatchObject({ delivery: "unconfirmed", enterPresses: 2 })
    }).pipe(inWorld(answering))
  )

  it.effect("presses Enter once more when the first brings no confirmation", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const runtime = yield* Runtime
      let enters = 0
      // The first Enter is lost (the agent was busy drawing); the second lands.
      const lossy = Runtime.of({
        ...runtime,
        sendKey: (name, key) => (key === "Enter" && ++enters === 1 ? Effect.void : runtime.sendKey(name, key))
      })
      const fiber = yield* Effect.fork(sendMessage("ao-int-1", "continue").pipe(Effect.provideService(Runtime, lossy)))
      yield* TestClock.adjust("30 seconds")
      expect(yield* Fiber.join(fiber)).toEqual({ id: "ao-int-1", delivery: "confirmed", confirmedBy: "screen", enterPresses: 2 })
    }).pipe(inWorld(answering))
  )

  it.effect("reports unconfirmed when nothing changes, after retrying the read and a second Enter", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const runtime = yield* Runtime
      const blank = Runtime.of({ ...runtime, capture: () => Effect.succeed("") })
      const fiber = yield* Effect.fork(sendMessage("ao-int-1", "hello").pipe(Effect.provideService(Runtime, blank)))
      yield* TestClock.adjust("30 seconds")
      expect(yield* Fiber.join(fiber)).toEqual({ id: "ao-int-1", delivery: "unconfirmed", confirmedBy: null, enterPresses: 2 })
    }).pipe(inWorld(answering))
  )

  it.effect("does not take the same words already in the scrollback for delivery: only a new occurrence confirms", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryRuntimeControl, (control) => control.print("ao-int-1", "Continue? yes"))
      const runtime = yield* Runtime
      // The agent ignores what is typed: nothing new reaches the pane.
      const deaf = Runtime.of({ ...runtime, sendText: () => Effect.void, sendKey: () => Effect.void })
      const fiber = yield* Effect.fork(sendMessage("ao-int-1", "yes").pipe(Effect.provideService(Runtime, deaf)))
      yield* TestClock.adjust("30 seconds")
      expect(yield* Fiber.join(fiber)).toMatchObject({ id: "ao-int-1", delivery: "unconfirmed" })
      expect(yield* sendMessage("ao-int-1", "yes")).toMatchObject({ id: "ao-int-1", delivery: "confirmed" })
    }).pipe(inWorld(answering))
  )

  it.effect("without waiting, sends and does not read the pane back", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const runtime = yield* Runtime
      const unreadable = Runtime.of({ ...runtime, capture: () => Effect.die("read the pane") })
      const result = yield* sendMessage("ao-int-1", "go on", { wait: false }).pipe(Effect.provideService(Runtime, unreadable))
      expect(result).toEqual({ id: "ao-int-1", delivery: "not-checked", confirmedBy: null, enterPresses: 1 })
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
