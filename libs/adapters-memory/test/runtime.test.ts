import { describe, expect, it } from "@effect/vitest"
import { Runtime, type RuntimeLaunch } from "@ao/domain"
import { DateTime, Effect, TestClock } from "effect"
import { runtimeContract } from "../src/contracts/runtime"
import { type MemoryAgent, MemoryRuntime, MemoryRuntimeControl } from "../src/runtime"

/** The contract's stand-in agents, played by the simulation hook. */
const standInAgent = (launch: RuntimeLaunch): MemoryAgent => {
  const [program, ...args] = launch.argv
  if (program === "echo-agent") return { output: args.map((name) => `${name}=${launch.env[name] ?? ""}`).join("\n") }
  if (program === "exiting-agent") return { output: args.join(" "), onInput: () => ({ exits: true }) }
  if (program === "foreground-agent" && args[0] !== undefined) return { foreground: args[0] }
  return {}
}

/** The directories the memory runtime's sessions may start in. */
const directoryExists = (path: string) => Effect.succeed(path.startsWith("/worktrees/"))

runtimeContract("memory", {
  fresh: () => MemoryRuntime.layer({ agent: standInAgent, directoryExists }),
  workDir: (name) => `/worktrees/${name}`,
  echoAgent: (envNames) => ["echo-agent", ...envNames],
  exitingAgent: (text) => ["exiting-agent", text],
  foregroundAgent: { argv: ["foreground-agent", "sleep"], foreground: "sleep" },
  missingDir: "/missing/directory"
})

describe("MemoryRuntimeControl", () => {
  const launch = (name: string): RuntimeLaunch => ({ name, cwd: `/worktrees/${name}`, argv: ["/usr/bin/claude", "go"], env: {} })
  const run = <A, E>(effect: Effect.Effect<A, E, Runtime | MemoryRuntimeControl>) =>
    Effect.provide(effect, MemoryRuntime.layer({ directoryExists }))

  it.effect("plays crashes, a lost server, activity and attached clients", () =>
    run(
      Effect.gen(function* () {
        const runtime = yield* Runtime
        const control = yield* MemoryRuntimeControl
        yield* Effect.forEach(["m-1", "m-2", "m-3"], (name) => runtime.create(launch(name)))
        yield* control.crash("m-1")
        expect(yield* runtime.exists("m-1")).toBe(false)

        yield* TestClock.adjust("10 minutes")
        yield* control.print("m-2", "thinking...")
        yield* control.setAttachedClients("m-3", 2)
        const at = DateTime.unsafeMake("2026-01-01T00:00:00Z")
        yield* control.setLastActivity("m-3", at)
        const [m2, m3] = yield* runtime.list
        expect(m2).toMatchObject({ name: "m-2", paneCommand: "claude", attachedClients: 0 })
        expect(DateTime.toEpochMillis(m2!.lastActivityAt)).toBe(DateTime.toEpochMillis(m2!.createdAt) + 600_000)
        expect(m3).toMatchObject({ name: "m-3", attachedClients: 2, lastActivityAt: at })
        expect(yield* runtime.capture("m-2", 10)).toBe("thinking...")

        yield* control.stopServer
        expect(yield* runtime.list).toEqual([])
      })
    )
  )

  it.effect("records what was sent and launched, even after the session is gone", () =>
    run(
      Effect.gen(function* () {
        const runtime = yield* Runtime
        const control = yield* MemoryRuntimeControl
        yield* runtime.create(launch("m-1"))
        yield* runtime.sendText("m-1", "first")
        yield* runtime.sendText("m-1", "second\nlines")
        yield* runtime.kill("m-1")
        yield* runtime.create(launch("m-1"))
        expect(yield* control.sent("m-1")).toEqual(["first", "second\nlines"])
        expect(yield* control.launches).toEqual([launch("m-1"), launch("m-1")])
        expect(yield* runtime.capture("m-1", 10)).toBe("")
      })
    )
  )

  it.effect("an exited agent is a dead pane that refuses input", () =>
    run(
      Effect.gen(function* () {
        const runtime = yield* Runtime
        const control = yield* MemoryRuntimeControl
        yield* runtime.create(launch("m-1"))
        yield* control.exitAgent("m-1")
        expect((yield* runtime.list).map((info) => info.paneDead)).toEqual([true])
        expect((yield* Effect.flip(runtime.sendText("m-1", "hi")))._tag).toBe("SessionNotRunning")
      })
    )
  )

  it.effect("controlling a session that does not exist is a mistake in the test", () =>
    run(
      Effect.gen(function* () {
        const control = yield* MemoryRuntimeControl
        const exit = yield* Effect.exit(control.exitAgent("nope"))
        expect(exit._tag).toBe("Failure")
      })
    )
  )
})
