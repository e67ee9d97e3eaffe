import { eventually, runtimeContract } from "@ao/adapters-memory/contracts/runtime"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Runtime } from "@ao/domain"
import { Effect } from "effect"
import { existsSync, mkdirSync, realpathSync, rmSync } from "node:fs"
import { join } from "node:path"
import { makeTmuxRuntimeLayer } from "../src/index"
import { privateTmux } from "./private-tmux"

const tmux = privateTmux()
afterAll(tmux.cleanup)

/** Prints each listed variable as NAME=value, then echoes its input once (no terminal echo). */
const echoAgent = (envNames: ReadonlyArray<string>) => [
  "sh",
  "-c",
  'for name in "$@"; do printf "%s=%s\\n" "$name" "$(printenv "$name")"; done; stty -echo; exec cat',
  "echo-agent",
  ...envNames
]

runtimeContract("tmux", {
  fresh: () => tmux.fresh(),
  workDir: tmux.workDir,
  echoAgent,
  exitingAgent: (text) => ["sh", "-c", 'printf "%s\\n" "$1"; read line', "exiting-agent", text],
  // The launched program is sh; it execs sleep, which tmux then reports.
  foregroundAgent: { argv: ["sh", "-c", "exec sleep 600"], foreground: "sleep" },
  missingDir: join(tmux.dir, "missing")
})

describe("TmuxRuntime", () => {
  it.live("runs the agent command directly: arguments arrive verbatim, nothing is evaluated by a shell", () => {
    const marker = join(tmux.dir, "shell-ran")
    const args = [`$(touch ${marker}); rm -rf "$HOME"`, "end;", "a\\;", "*", "two  spaces", "-t"]
    return Effect.gen(function* () {
      const runtime = yield* Runtime
      // The script is fixed; the arguments reach it through tmux as "$@", unevaluated.
      const argv = ["sh", "-c", 'printf "<%s>\\n" "$@"; exec cat', "args-agent", ...args]
      yield* runtime.create({ name: "v-1", cwd: tmux.workDir("v-1"), argv, env: {} })
      // A lone word is exec'd too, not handed to `sh -c`: env finds no such program and the pane dies.
      yield* runtime.create({ name: "v-2", cwd: tmux.workDir("v-2"), argv: [`true; touch ${marker}`], env: {} })
      const screen = yield* eventually(runtime.capture("v-1", 100), (text) => text.includes("<-t>"))
      expect(screen.split("\n").slice(0, args.length)).toEqual(args.map((arg) => `<${arg}>`))
      yield* eventually(runtime.list, (infos) => infos.some((info) => info.name === "v-2" && info.paneDead))
      expect(existsSync(marker)).toBe(false)
    }).pipe(Effect.provide(tmux.fresh()))
  })

  // Debian's tmux can miss an agent's SIGCHLD while its libutempter helper runs as
  // the dead pane's terminal closes; the agent then stays an unreaped zombie and its
  // status unknown until another child of the server exits. Seen in CI as a dead
  // pane without a status; about one exit in ten on a busy machine.
  it.live("every agent that exits has its exit status listed, one after another on one server", () =>
    Effect.gen(function* () {
      const runtime = yield* Runtime
      for (let n = 1; n <= 12; n++) {
        const name = `z-${n}`
        const exitCode = n % 3
        const argv = ["sh", "-c", 'printf "ready\\n"; read line; exit "$1"', "exiting-agent", String(exitCode)]
        yield* runtime.create({ name, cwd: tmux.workDir(name), argv, env: {} })
        yield* eventually(runtime.capture(name, 10), (text) => text.includes("ready"))
        yield* runtime.sendText(name, "quit")
        const listed = yield* eventually(runtime.list, (infos) => infos.some((info) => info.name === name && info.paneDead && info.exitStatus !== undefined))
        expect(listed.find((info) => info.name === name)).toMatchObject({ paneDead: true, exitStatus: exitCode })
      }
    }).pipe(Effect.provide(tmux.fresh()))
  )

  it.live("lists a session whose path holds separators and control characters", () => {
    const path = join(tmux.dir, "we\x1fird\tpath|with\x1eseparators")
    mkdirSync(path)
    return Effect.gen(function* () {
      const runtime = yield* Runtime
      yield* runtime.create({ name: "p-1", cwd: path, argv: echoAgent([]), env: {} })
      expect((yield* runtime.list).map((info) => [info.name, info.path])).toEqual([["p-1", path]])
    }).pipe(Effect.provide(tmux.fresh()))
  })

  it.live("ignores an inherited $TMUX when a server is configured", () => {
    const config = { ...tmux.serverConfig(), env: { ...tmux.env, TMUX: "/nonexistent/socket,1,0" } }
    return Effect.gen(function* () {
      const runtime = yield* Runtime
      yield* runtime.create({ name: "t-1", cwd: tmux.workDir("t-1"), argv: echoAgent([]), env: {} })
      expect((yield* runtime.list).map((info) => info.name)).toEqual(["t-1"])
    }).pipe(Effect.provide(tmux.fresh(config)))
  })

  it.live("tmux missing from PATH is ToolMissing", () =>
    Effect.gen(function* () {
      const runtime = yield* Runtime
      const failure = yield* Effect.flip(runtime.list)
      expect(failure).toMatchObject({ _tag: "ToolMissing", tool: "tmux" })
      expect((yield* Effect.flip(runtime.exists("x-1")))._tag).toBe("ToolMissing")
    }).pipe(Effect.provide(makeTmuxRuntimeLayer({ socketName: "never", env: { PATH: join(tmux.dir, "no-bin") } })))
  )

  it.live("the attach command targets the session exactly on the configured server", () => {
    const config = tmux.serverConfig()
    return Effect.gen(function* () {
      const runtime = yield* Runtime
      expect(runtime.attachCommand("ao-1")).toEqual([
        "env",
        "-u",
        "TMUX",
        `TMUX_TMPDIR=${tmux.dir}`,
        "tmux",
        "-L",
        config.socketName,
        "attach-session",
        "-t",
        "=ao-1"
      ])
    }).pipe(Effect.provide(makeTmuxRuntimeLayer(config)))
  })

  it.live("the default attach command is plain tmux", () =>
    Effect.map(Runtime, (runtime) => expect(runtime.attachCommand("ao-1")).toEqual(["tmux", "attach-session", "-t", "=ao-1"])).pipe(
      Effect.provide(makeTmuxRuntimeLayer({ env: { PATH: "/usr/bin:/bin" } }))
    )
  )
})

describe("TmuxRuntime servers", () => {
  it.live("a session's server is found from any environment, and one whose socket was deleted while it runs is unknown, not dead", () => {
    const config = tmux.serverConfig()
    // The same runtime code as another user's shell would build: no TMUX_TMPDIR of ours.
    const elsewhere = makeTmuxRuntimeLayer({ env: { ...process.env, TMUX_TMPDIR: join(tmux.dir, "elsewhere"), TMUX: "" } })
    mkdirSync(join(tmux.dir, "elsewhere"), { recursive: true })
    return Effect.gen(function* () {
      const server = yield* Effect.flatMap(Runtime, (runtime) =>
        runtime.create({ name: "s-1", cwd: tmux.workDir("s-1"), argv: ["sleep", "600"], env: {} })
      ).pipe(Effect.provide(makeTmuxRuntimeLayer(config)))
      expect(server?.address).toBe(join(realpathSync(tmux.dir), `tmux-${process.getuid?.() ?? 0}`, config.socketName!))
      const other = yield* Effect.provide(Runtime, elsewhere)
      expect(yield* other.exists("s-1")).toBe(false)
      expect(yield* other.exists("s-1", server)).toBe(true)
      rmSync(server!.address)
      const [listing] = yield* other.listServers([server])
      expect(listing).toMatchObject({ _tag: "Unknown", reason: expect.stringContaining("its process is still running") })
      expect(yield* Effect.flip(other.kill("s-1", server))).toMatchObject({ detail: expect.stringContaining("runtime unknown") })
      process.kill(server!.pid, "SIGTERM")
      yield* eventually(
        Effect.map(other.listServers([server]), ([found]) => found?._tag),
        (tag) => tag === "Dead"
      )
    })
  })
})
