import { followSessionOutput, killSession, sessionOutput } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Stream, TestClock } from "effect"
import { MemoryRuntimeControl } from "../../src/runtime"
import { inWorld, spawnForIssue } from "./world-fixture"

const print = (name: string, text: string) => Effect.flatMap(MemoryRuntimeControl, (control) => control.print(name, text))

describe("sessionOutput", () => {
  it.effect("gives the pane's last lines as text, and with --ansi as the terminal drew them", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* print("ao-int-1", "one\n\u001b[32mtwo\u001b[0m\nthree")
      expect(yield* sessionOutput("ao-int-1", { lines: 2, ansi: false })).toEqual({ id: "ao-int-1", lines: ["two", "three"], ansi: false })
      expect((yield* sessionOutput("ao-int-1", { lines: 2, ansi: true })).lines).toEqual(["\u001b[32mtwo\u001b[0m", "three"])
    }).pipe(inWorld())
  )

  it.effect("fails with SessionNotFound for an unknown session and SessionNotRunning for a killed one", () =>
    Effect.gen(function* () {
      expect((yield* Effect.flip(sessionOutput("ao-nope", { lines: 5, ansi: false })))._tag).toBe("SessionNotFound")
      yield* spawnForIssue("INT-1")
      yield* killSession("ao-int-1")
      expect(yield* Effect.flip(sessionOutput("ao-int-1", { lines: 5, ansi: false }))).toMatchObject({ _tag: "SessionNotRunning", id: "ao-int-1" })
    }).pipe(inWorld())
  )
})

describe("followSessionOutput", () => {
  it.effect("gives the last lines, then only what the pane adds, and ends when the session is killed", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* print("ao-int-1", "before")
      const { changes } = yield* followSessionOutput("ao-int-1", { lines: 1, ansi: false, interval: "1 second" })
      const fiber = yield* Effect.fork(Stream.runCollect(changes))
      yield* TestClock.adjust("1 second")
      yield* print("ao-int-1", "\u001b[1mafter\u001b[0m")
      yield* TestClock.adjust("1 second")
      yield* TestClock.adjust("1 second")
      yield* killSession("ao-int-1")
      yield* TestClock.adjust("1 second")
      const collected = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
      expect(collected).toEqual([
        { lines: ["before"], redrawn: false },
        { lines: ["after"], redrawn: false }
      ])
    }).pipe(inWorld())
  )
})
