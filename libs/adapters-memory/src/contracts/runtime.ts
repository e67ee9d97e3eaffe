import { describe, expect, it } from "@effect/vitest"
import { Runtime, type RuntimeLaunch, RuntimeServer } from "@ao/domain"
import { DateTime, Effect, type Layer, Schedule } from "effect"

export interface RuntimeContractSubject {
  /** A fresh runtime with no sessions and no server. */
  readonly fresh: () => Layer.Layer<Runtime, unknown>
  /** An existing directory for the session `name` to work in. */
  readonly workDir: (name: string) => string
  /** A stand-in agent that prints `NAME=value` for each listed variable, then echoes every line it reads. */
  readonly echoAgent: (envNames: ReadonlyArray<string>) => ReadonlyArray<string>
  /** A stand-in agent that prints `text`, then exits at the first line it reads. */
  readonly exitingAgent: (text: string) => ReadonlyArray<string>
  /** A stand-in agent whose pane has another process in the foreground (`foreground`, by its command name), as when it execs one. */
  readonly foregroundAgent: { readonly argv: ReadonlyArray<string>; readonly foreground: string }
  /** A directory that does not exist. */
  readonly missingDir: string
}

/** Polls until the agent's output satisfies `done` (agents answer asynchronously), then returns it. */
export const eventually = <A, E, R>(probe: Effect.Effect<A, E, R>, done: (value: A) => boolean) =>
  Effect.repeat(
    probe,
    Schedule.recurUntil(done).pipe(
      Schedule.intersect(Schedule.spaced("50 millis")),
      Schedule.intersect(Schedule.recurs(200)),
      Schedule.passthrough
    )
  )

/**
 * What every Runtime must do. `fresh` builds an empty runtime for each test:
 * the tmux one on its own private server.
 */
export const runtimeContract = (name: string, subject: RuntimeContractSubject) =>
  describe(`Runtime contract: ${name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, Runtime>) => Effect.provide(effect, subject.fresh())

    const launch = (sessionName: string, argv: ReadonlyArray<string>, env: Record<string, string> = {}): RuntimeLaunch => ({
      name: sessionName,
      cwd: subject.workDir(sessionName),
      argv,
      env
    })

    const echoing = (sessionName: string) => launch(sessionName, subject.echoAgent([]))

    const captureUntil = (sessionName: string, done: (screen: string) => boolean) =>
      Effect.flatMap(Runtime, (runtime) => eventually(runtime.capture(sessionName, 1000), done))

    it.live("no server is no sessions: an empty list, nothing exists, nothing to kill", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          expect(yield* runtime.list).toEqual([])
          expect(yield* runtime.exists("x-1")).toBe(false)
          expect(yield* runtime.kill("x-1")).toBe(false)
          expect((yield* Effect.flip(runtime.sendText("x-1", "hi")))._tag).toBe("SessionNotRunning")
          expect((yield* Effect.flip(runtime.capture("x-1", 10)))._tag).toBe("SessionNotRunning")
        })
      )
    )

    it.live("create, exists, list and kill a session; creating it twice is SessionAlreadyExists", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          const before = yield* DateTime.now
          yield* runtime.create(echoing("x-1"))
          expect(yield* runtime.exists("x-1")).toBe(true)
          const [info, ...others] = yield* runtime.list
          expect(others).toEqual([])
          expect(info).toMatchObject({ name: "x-1", path: subject.workDir("x-1"), attachedClients: 0, paneDead: false })
          // tmux keeps whole seconds.
          expect(DateTime.toEpochMillis(info!.createdAt)).toBeGreaterThanOrEqual(DateTime.toEpochMillis(before) - 1000)
          expect(DateTime.greaterThanOrEqualTo(info!.lastActivityAt, info!.createdAt)).toBe(true)
          const duplicate = yield* Effect.flip(runtime.create(echoing("x-1")))
          expect(duplicate).toMatchObject({ _tag: "SessionAlreadyExists", id: "x-1" })
          expect(yield* runtime.kill("x-1")).toBe(true)
          expect(yield* runtime.exists("x-1")).toBe(false)
          expect(yield* runtime.kill("x-1")).toBe(false)
        })
      )
    )

    it.live("create says which server the session runs on; calls given that server reach it, and one listing serves the default and it alike", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          const server = yield* runtime.create(echoing("x-1"))
          expect(server).toBeDefined()
          expect(yield* runtime.exists("x-1", server)).toBe(true)
          const listings = yield* runtime.listServers([server, undefined, server])
          expect(listings.map((listing) => listing._tag)).toEqual(["Listed", "Listed", "Listed"])
          expect(listings[0]?._tag === "Listed" && listings[0].sessions.map((info) => info.name)).toEqual(["x-1"])
          expect(yield* runtime.capture("x-1", 10, server)).toBeTypeOf("string")
          expect(yield* runtime.kill("x-1", server)).toBe(true)
          expect(yield* runtime.exists("x-1", server)).toBe(false)
        })
      )
    )

    it.live("a recorded server that is gone (nothing at its address, its process gone) is dead: no sessions, nothing to kill", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          const gone = new RuntimeServer({ address: `${subject.missingDir}/tmux-0/default`, pid: 99_999_999 })
          expect(yield* runtime.listServers([gone])).toEqual([{ _tag: "Dead" }])
          expect(yield* runtime.exists("x-1", gone)).toBe(false)
          expect(yield* runtime.kill("x-1", gone)).toBe(false)
          expect((yield* Effect.flip(runtime.sendText("x-1", "hi", gone)))._tag).toBe("SessionNotRunning")
        })
      )
    )

    it.live("targets are exact: x-1 missing never reaches x-10", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          yield* runtime.create(echoing("x-10"))
          expect(yield* runtime.exists("x-1")).toBe(false)
          expect(yield* runtime.exists("x")).toBe(false)
          expect(yield* runtime.kill("x-1")).toBe(false)
          expect((yield* Effect.flip(runtime.sendText("x-1", "meant-for-x-1")))._tag).toBe("SessionNotRunning")
          expect((yield* Effect.flip(runtime.capture("x-1", 10)))._tag).toBe("SessionNotRunning")
          yield* runtime.sendText("x-10", "meant-for-x-10")
          const screen = yield* captureUntil("x-10", (text) => text.includes("meant-for-x-10"))
          expect(screen).not.toContain("meant-for-x-1\n")
          expect(yield* runtime.exists("x-10")).toBe(true)
        })
      )
    )

    it.live("list reports every session with its path, in one call", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          const names = ["y-1", "y-2", "y-10"]
          yield* Effect.forEach(names, (sessionName) => runtime.create(echoing(sessionName)))
          const listed = yield* runtime.list
          expect(listed.map((info) => [info.name, info.path]).sort()).toEqual(
            names.map((sessionName) => [sessionName, subject.workDir(sessionName)]).sort()
          )
          expect(listed.every((info) => !info.paneDead)).toBe(true)
        })
      )
    )

    it.live("sendText types a single line verbatim, shell and tmux syntax included", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          yield* runtime.create(echoing("s-1"))
          const line = `-n fix it; $(touch /tmp/ao-never) 'quoted' "double" \\; end;`
          yield* runtime.sendText("s-1", line)
          const screen = yield* captureUntil("s-1", (text) => text.includes(line))
          expect(screen).toContain(line)
        })
      )
    )

    it.live("sendText delivers multi-line text and a 20 KB text whole", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          yield* runtime.create(echoing("s-2"))
          yield* runtime.sendText("s-2", "first line\nsecond line;\nthird line")
          yield* captureUntil("s-2", (text) => text.includes("third line"))
          const long = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(3, "0")}:${"z".repeat(96)}`)
          yield* runtime.sendText("s-2", long.join("\n"))
          const screen = yield* captureUntil("s-2", (text) => text.includes(long.at(-1)!))
          const shown = new Set(screen.split("\n"))
          expect(["first line", "second line;", "third line"].filter((line) => !shown.has(line))).toEqual([])
          expect(long.filter((line) => !shown.has(line))).toEqual([])
        })
      )
    )

    it.live("the launch environment is set inside the session", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          const env = { AO_SESSION: "e-1", AO_PROJECT_ID: "app" }
          yield* runtime.create(launch("e-1", subject.echoAgent(Object.keys(env)), env))
          const screen = yield* captureUntil("e-1", (text) => text.includes("AO_PROJECT_ID="))
          expect(screen).toContain("AO_SESSION=e-1")
          expect(screen).toContain("AO_PROJECT_ID=app")
        })
      )
    )

    it.live("an agent that exits leaves a dead pane, with its exit status, whose output can still be read", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          yield* runtime.create(launch("d-1", subject.exitingAgent("agent said goodbye")))
          // Exiting only once its output is on screen: tmux can lose what a process prints as it dies.
          yield* captureUntil("d-1", (text) => text.includes("agent said goodbye"))
          yield* runtime.sendText("d-1", "quit")
          // tmux shows the pane dead a moment before it has reaped the agent and knows its status
          // (seen on the docker runtime in CI): wait for both, as spawn's start check does.
          const listed = yield* eventually(runtime.list, (infos) => infos.some((info) => info.paneDead && info.exitStatus !== undefined))
          expect(listed).toMatchObject([{ name: "d-1", paneDead: true, exitStatus: 0 }])
          expect(yield* runtime.exists("d-1")).toBe(true)
          expect(yield* runtime.capture("d-1", 100)).toContain("agent said goodbye")
          expect(yield* Effect.flip(runtime.sendText("d-1", "anyone?"))).toMatchObject({ _tag: "SessionNotRunning", id: "d-1" })
          expect(yield* runtime.kill("d-1")).toBe(true)
        })
      )
    )

    it.live("a working directory that does not exist is refused, never replaced by another", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          const failure = yield* Effect.flip(runtime.create({ ...echoing("w-1"), cwd: subject.missingDir }))
          expect(failure).toMatchObject({ _tag: "RuntimeFailed", target: "w-1" })
          expect(failure.message).toContain(`its working directory ${subject.missingDir} does not exist`)
          expect(yield* runtime.exists("w-1")).toBe(false)
        })
      )
    )

    it.live("an agent command no process can be started from is refused before anything runs", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          for (const argv of [[], [""], ["A=1"], ["sh", "-c", "true\0false"]]) {
            const refused = yield* Effect.flip(runtime.create({ ...echoing("c-1"), argv }))
            expect(refused).toMatchObject({ _tag: "RuntimeFailed", target: "c-1" })
          }
          expect(yield* runtime.list).toEqual([])
        })
      )
    )

    it.live("the pane command is the process in the pane's foreground, not the program launched", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          yield* runtime.create(launch("f-1", subject.foregroundAgent.argv))
          const listed = yield* eventually(runtime.list, (infos) => infos[0]?.paneCommand === subject.foregroundAgent.foreground)
          expect(listed).toMatchObject([{ name: "f-1", paneCommand: subject.foregroundAgent.foreground, paneDead: false }])
        })
      )
    )

    it.live("sendKey presses a key: C-c interrupts the agent (its pane dies); a missing or dead pane is SessionNotRunning", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          expect(yield* Effect.flip(runtime.sendKey("k-1", "Escape"))).toMatchObject({ _tag: "SessionNotRunning", id: "k-1" })
          yield* runtime.create(launch("k-1", subject.exitingAgent("waiting for a line")))
          yield* captureUntil("k-1", (text) => text.includes("waiting for a line"))
          yield* runtime.sendKey("k-1", "Escape")
          expect((yield* runtime.list).map((info) => info.paneDead)).toEqual([false])
          yield* runtime.sendKey("k-1", "C-c")
          yield* eventually(runtime.list, (infos) => infos.every((info) => info.paneDead))
          expect(yield* Effect.flip(runtime.sendKey("k-1", "Enter"))).toMatchObject({ _tag: "SessionNotRunning", id: "k-1" })
        })
      )
    )

    it.live("names tmux cannot host are refused before anything runs", () =>
      run(
        Effect.gen(function* () {
          const runtime = yield* Runtime
          for (const bad of ["a.b", "A:1", "-t", ""]) {
            const refused = yield* Effect.flip(runtime.create({ ...echoing("ok-1"), name: bad }))
            expect(refused).toMatchObject({ _tag: "RuntimeFailed", target: bad })
          }
          expect((yield* Effect.flip(runtime.exists("a.b")))._tag).toBe("RuntimeFailed")
          expect(yield* runtime.list).toEqual([])
        })
      )
    )
  })
