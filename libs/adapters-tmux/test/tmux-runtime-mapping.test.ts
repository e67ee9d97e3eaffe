import { describe, expect, it } from "@effect/vitest"
import { Runtime, RuntimeServer } from "@ao/domain"
import { Effect, Layer } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { TmuxClient, TmuxFailed, TmuxRuntime } from "../src/index"
import type { TmuxCommand } from "../src/tmux-arguments"

interface Call {
  readonly commands: ReadonlyArray<TmuxCommand>
  readonly input: string | undefined
  readonly socket: string | undefined
}

/** A TmuxClient that answers from a script, so the mapping meets tmux's rarer answers on demand. */
const scripted = (answers: Array<Effect.Effect<string, TmuxFailed>>) => {
  const calls: Array<Call> = []
  const layer = TmuxRuntime.pipe(
    Layer.provide(
      Layer.succeed(
        TmuxClient,
        TmuxClient.of({
          // Lazy like the real client: running the effect again (a retry) runs tmux again.
          run: (commands, options) =>
            Effect.suspend(() => {
              calls.push({ commands, input: options?.input, socket: options?.socket })
              return answers.shift() ?? Effect.dieMessage(`unexpected tmux call: ${JSON.stringify(commands)}`)
            }),
          interactive: (command) => ["tmux", ...command],
          defaultSocket: "/nonexistent/tmux-0/default"
        })
      )
    )
  )
  return { calls, layer }
}

const tmuxSays = (stderr: string) => Effect.fail(new TmuxFailed({ argv: [], exitCode: 1, stderr, cause: null }))
const launch = { name: "ao-1", cwd: tmpdir(), argv: ["claude", "go"], env: { AO_SESSION: "ao-1" } }

describe("TmuxRuntime mapping", () => {
  it.effect("create retries when it reached a server that was exiting, and gives up after a few tries", () => {
    const flaky = scripted([tmuxSays("server exited unexpectedly"), Effect.succeed("")])
    const dead = scripted(Array.from({ length: 4 }, () => tmuxSays("server exited unexpectedly")))
    return Effect.gen(function* () {
      yield* Effect.flatMap(Runtime, (runtime) => runtime.create(launch)).pipe(Effect.provide(flaky.layer))
      expect(flaky.calls).toHaveLength(2)
      const failure = yield* Effect.flip(Effect.flatMap(Runtime, (runtime) => runtime.create(launch))).pipe(
        Effect.provide(dead.layer)
      )
      expect(failure).toMatchObject({ _tag: "RuntimeFailed", target: "ao-1", detail: "server exited unexpectedly" })
      expect(dead.calls).toHaveLength(4)
    })
  })

  it.effect("an exiting server with no sessions left means the session is gone", () => {
    const { layer } = scripted([tmuxSays("no current target"), tmuxSays("server exited"), tmuxSays("no current target")])
    return Effect.gen(function* () {
      const runtime = yield* Runtime
      expect(yield* runtime.exists("ao-1")).toBe(false)
      expect(yield* runtime.kill("ao-1")).toBe(false)
      expect((yield* Effect.flip(runtime.capture("ao-1", 10)))._tag).toBe("SessionNotRunning")
    }).pipe(Effect.provide(layer))
  })

  it.effect("a socket tmux cannot use is a failure, not an empty list", () => {
    const { layer } = scripted([tmuxSays("error connecting to /tmp/tmux-0/default (Permission denied)"), Effect.succeed("garbage\n")])
    return Effect.gen(function* () {
      const runtime = yield* Runtime
      expect(yield* Effect.flip(runtime.list)).toMatchObject({ _tag: "RuntimeFailed", detail: expect.stringContaining("Permission denied") })
      expect(yield* Effect.flip(runtime.list)).toMatchObject({ _tag: "RuntimeFailed", detail: expect.stringContaining("garbage") })
    }).pipe(Effect.provide(layer))
  })

  it.effect("sending to a dead pane is SessionNotRunning, without typing anything", () => {
    const { calls, layer } = scripted([Effect.succeed("1\n")])
    return Effect.gen(function* () {
      const runtime = yield* Runtime
      expect(yield* Effect.flip(runtime.sendText("ao-1", "hello"))).toMatchObject({ _tag: "SessionNotRunning", id: "ao-1" })
      expect(calls).toHaveLength(1)
    }).pipe(Effect.provide(layer))
  })

  it.effect("long text goes through stdin into a fresh named paste buffer, pasted, deleted, then Enter", () => {
    const { calls, layer } = scripted([Effect.succeed("0\n"), Effect.succeed(""), Effect.succeed("0\n"), Effect.succeed("")])
    const text = "line one\nline two"
    return Effect.gen(function* () {
      const runtime = yield* Runtime
      yield* runtime.sendText("ao-1", text)
      yield* runtime.sendText("ao-1", text)
      const pastes = [calls[1]!, calls[3]!]
      const buffers = pastes.map((call) => call.commands[0]![2])
      expect(pastes.map((call) => call.input)).toEqual([text, text])
      expect(pastes[0]!.commands).toEqual([
        ["load-buffer", "-b", buffers[0], "-"],
        ["paste-buffer", "-d", "-p", "-b", buffers[0], "-t", "=ao-1:"],
        ["send-keys", "-t", "=ao-1:", "Enter"]
      ])
      expect(new Set(buffers).size).toBe(2)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a recorded server is asked at its socket; it and the default server at the same socket share ONE listing", () => {
    const { calls, layer } = scripted([Effect.succeed(""), Effect.succeed(""), Effect.succeed("")])
    const here = new RuntimeServer({ address: "/nonexistent/tmux-0/default", pid: 7 })
    const there = new RuntimeServer({ address: "/elsewhere/tmux-0/default", pid: 8 })
    return Effect.gen(function* () {
      const runtime = yield* Runtime
      expect(yield* runtime.listServers([here, undefined, here])).toHaveLength(3)
      expect(calls.map((call) => call.socket)).toEqual(["/nonexistent/tmux-0/default"])
      yield* runtime.listServers([here, there])
      expect(calls.slice(1).map((call) => call.socket).sort()).toEqual(["/elsewhere/tmux-0/default", "/nonexistent/tmux-0/default"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a recorded server that does not answer is dead only when nothing listens at its socket and its process is gone", () => {
    const dir = mkdtempSync(join(tmpdir(), "ao-evidence-"))
    const stale = join(dir, "stale")
    writeFileSync(stale, "")
    const gone = 99_999_999
    const { layer } = scripted([
      tmuxSays(`no server running on ${join(dir, "missing")}`),
      tmuxSays(`no server running on ${stale}`),
      tmuxSays(`error connecting to ${stale} (Permission denied)`),
      tmuxSays(`error connecting to ${stale} (Permission denied)`),
      tmuxSays("Command timed out after 15000 milliseconds: tmux list-sessions")
    ])
    return Effect.gen(function* () {
      const runtime = yield* Runtime
      expect(yield* runtime.listServers([new RuntimeServer({ address: join(dir, "missing"), pid: gone })])).toEqual([{ _tag: "Dead" }])
      expect(yield* runtime.listServers([new RuntimeServer({ address: stale, pid: gone })])).toEqual([{ _tag: "Dead" }])
      const [unknown] = yield* runtime.listServers([new RuntimeServer({ address: stale, pid: gone })])
      expect(unknown).toMatchObject({ _tag: "Unknown", reason: expect.stringContaining("Permission denied") })
      const refused = yield* Effect.flip(runtime.kill("ao-1", new RuntimeServer({ address: stale, pid: gone })))
      expect(refused).toMatchObject({ _tag: "RuntimeFailed", detail: expect.stringContaining("runtime unknown") })
      const [silent] = yield* runtime.listServers([new RuntimeServer({ address: stale, pid: gone })])
      expect(silent).toMatchObject({ _tag: "Unknown", reason: expect.stringContaining("timed out") })
    }).pipe(Effect.provide(layer))
  })
})
