import {
  agentCommandProblem,
  type AgentKey,
  checkRuntimeSessionName,
  Runtime,
  RuntimeFailed,
  type RuntimeLaunch,
  type RuntimeSessionInfo,
  SessionAlreadyExists,
  SessionNotRunning
} from "@ao/domain"
import { Context, DateTime, Effect, Layer, Order, Ref } from "effect"

/** What a simulated agent does with a text it is sent: its answer, and whether it then exits. */
export interface MemoryAgentReply {
  readonly output?: string
  readonly exits?: boolean
}

/** A simulated agent: what it prints when it starts and how it answers. */
export interface MemoryAgent {
  readonly output?: string
  readonly onInput?: (text: string) => MemoryAgentReply
  /**
   * The process in the pane's foreground, which is what tmux reports as the
   * pane's command: a child the agent runs (`sleep`), or an interpreter
   * (`node`); by default the program the launch names.
   */
  readonly foreground?: string
  /** The agent exits as soon as it starts, with this status (127: its program is not on PATH). */
  readonly exitsAtStart?: number
}

export interface MemoryRuntimeOptions {
  /** The agent each launch starts; by default one that prints nothing and keeps running. */
  readonly agent?: (launch: RuntimeLaunch) => MemoryAgent
  /** Whether a launch's working directory exists: a session is never started elsewhere (tmux would be). */
  readonly directoryExists: (path: string) => Effect.Effect<boolean>
}

/**
 * Lets a test play the world around the runtime: crashes, an agent exiting,
 * activity, attached terminals; and read back what the code under test sent.
 */
export class MemoryRuntimeControl extends Context.Tag("@ao/adapters-memory/MemoryRuntimeControl")<
  MemoryRuntimeControl,
  {
    /** The session vanishes, as when tmux crashes or someone kills it by hand. */
    readonly crash: (name: string) => Effect.Effect<void>
    /** Every session vanishes: the tmux server is gone. */
    readonly stopServer: Effect.Effect<void>
    /** The agent exits (with `exitStatus`, 0 by default); its pane stays, dead, with its output. */
    readonly exitAgent: (name: string, exitStatus?: number) => Effect.Effect<void>
    /** The agent prints `text`, which counts as activity now. */
    readonly print: (name: string, text: string) => Effect.Effect<void>
    readonly setLastActivity: (name: string, at: DateTime.Utc) => Effect.Effect<void>
    readonly setAttachedClients: (name: string, count: number) => Effect.Effect<void>
    /** Every text sent to a session of that name, oldest first; kept after it is killed. */
    readonly sent: (name: string) => Effect.Effect<ReadonlyArray<string>>
    /** Every key pressed in a session of that name, oldest first. */
    readonly keys: (name: string) => Effect.Effect<ReadonlyArray<AgentKey>>
    /** Every launch, oldest first; kept after the sessions are killed. */
    readonly launches: Effect.Effect<ReadonlyArray<RuntimeLaunch>>
  }
>() {}

/** Rows of a detached tmux window: what capture shows besides the scrollback. */
const PANE_ROWS = 24

interface MemorySession {
  readonly launch: RuntimeLaunch
  readonly agent: MemoryAgent
  readonly createdAt: DateTime.Utc
  readonly lastActivityAt: DateTime.Utc
  readonly attachedClients: number
  readonly paneDead: boolean
  /** Once the pane is dead: how the agent exited; undefined after a signal (Ctrl-C). */
  readonly exitStatus: number | undefined
  readonly lines: ReadonlyArray<string>
}

interface World {
  readonly sessions: ReadonlyMap<string, MemorySession>
  readonly sent: ReadonlyMap<string, ReadonlyArray<string>>
  readonly keys: ReadonlyMap<string, ReadonlyArray<AgentKey>>
  readonly launches: ReadonlyArray<RuntimeLaunch>
}

const linesOf = (text: string): ReadonlyArray<string> => text.split("\n")

const programName = (argv: ReadonlyArray<string>): string => argv[0]?.split("/").pop() ?? ""

const infoOf = (name: string, session: MemorySession): RuntimeSessionInfo => ({
  name,
  createdAt: session.createdAt,
  lastActivityAt: session.lastActivityAt,
  attachedClients: session.attachedClients,
  paneDead: session.paneDead,
  ...(session.paneDead && session.exitStatus !== undefined ? { exitStatus: session.exitStatus } : {}),
  paneCommand: session.agent.foreground ?? programName(session.launch.argv),
  path: session.launch.cwd
})

/**
 * A Runtime in memory with tmux's semantics: exact names, a dead pane kept
 * with its output, typed text echoed into the pane as a terminal does.
 */
export const makeMemoryRuntime = (options: MemoryRuntimeOptions) =>
  Effect.gen(function* () {
    const world = yield* Ref.make<World>({ sessions: new Map(), sent: new Map(), keys: new Map(), launches: [] })

    const withSessions = (world: World, change: (sessions: Map<string, MemorySession>) => void): World => {
      const sessions = new Map(world.sessions)
      change(sessions)
      return { ...world, sessions }
    }

    const lookup = (name: string) => Effect.map(Ref.get(world), (current) => current.sessions.get(name))

    /** Changes a session the test says exists; a missing one is a mistake in the test. */
    const change = (name: string, update: (session: MemorySession, now: DateTime.Utc) => MemorySession) =>
      Effect.flatMap(DateTime.now, (now) =>
        Ref.modify(world, (current): [boolean, World] => {
          const session = current.sessions.get(name)
          if (session === undefined) return [false, current]
          return [true, withSessions(current, (sessions) => sessions.set(name, update(session, now)))]
        })
      ).pipe(
        Effect.flatMap((changed) => (changed ? Effect.void : Effect.dieMessage(`MemoryRuntimeControl: no session ${name}`)))
      )

    const remove = (name: string) =>
      Ref.modify(world, (current): [boolean, World] =>
        current.sessions.has(name) ? [true, withSessions(current, (sessions) => sessions.delete(name))] : [false, current]
      )

    const runningSession = Effect.fn("MemoryRuntime.runningSession")(function* (operation: string, name: string) {
      yield* checkRuntimeSessionName(operation, name)
      const session = yield* lookup(name)
      if (session === undefined) return yield* new SessionNotRunning({ id: name })
      return session
    })

    const runtime = Runtime.of({
      create: Effect.fn("MemoryRuntime.create")(function* (launch: RuntimeLaunch) {
        const operation = "create session"
        yield* checkRuntimeSessionName(operation, launch.name)
        const problem = agentCommandProblem(launch.argv)
        if (problem !== undefined) return yield* new RuntimeFailed({ operation, target: launch.name, detail: problem })
        if (!(yield* options.directoryExists(launch.cwd))) {
          return yield* new RuntimeFailed({ operation, target: launch.name, detail: `its working directory ${launch.cwd} does not exist` })
        }
        const now = yield* DateTime.now
        const agent = options.agent?.(launch) ?? {}
        const session: MemorySession = {
          launch,
          agent,
          createdAt: now,
          lastActivityAt: now,
          attachedClients: 0,
          paneDead: agent.exitsAtStart !== undefined,
          exitStatus: agent.exitsAtStart,
          lines: agent.output === undefined ? [] : linesOf(agent.output)
        }
        const created = yield* Ref.modify(world, (current): [boolean, World] =>
          current.sessions.has(launch.name)
            ? [false, current]
            : [
                true,
                {
                  ...withSessions(current, (sessions) => sessions.set(launch.name, session)),
                  launches: [...current.launches, launch]
                }
              ]
        )
        if (!created) return yield* new SessionAlreadyExists({ id: launch.name })
      }),
      exists: Effect.fn("MemoryRuntime.exists")(function* (name: string) {
        yield* checkRuntimeSessionName("find session", name)
        return (yield* lookup(name)) !== undefined
      }),
      kill: Effect.fn("MemoryRuntime.kill")(function* (name: string) {
        yield* checkRuntimeSessionName("kill session", name)
        return yield* remove(name)
      }),
      list: Effect.map(Ref.get(world), (current) =>
        [...current.sessions.entries()]
          .sort(([a], [b]) => Order.string(a, b))
          .map(([name, session]) => infoOf(name, session))
      ),
      sendText: Effect.fn("MemoryRuntime.sendText")(function* (name: string, text: string) {
        const session = yield* runningSession("send to session", name)
        if (session.paneDead) return yield* new SessionNotRunning({ id: name })
        const now = yield* DateTime.now
        // The terminal echoes what is typed, then the agent answers.
        const reply = session.agent.onInput?.(text) ?? {}
        const lines = [...session.lines, ...linesOf(text), ...(reply.output === undefined ? [] : linesOf(reply.output))]
        yield* Ref.update(world, (current) => ({
          ...withSessions(current, (sessions) =>
            sessions.set(name, { ...session, lastActivityAt: now, lines, paneDead: reply.exits ?? false, exitStatus: 0 })
          ),
          sent: new Map(current.sent).set(name, [...(current.sent.get(name) ?? []), text])
        }))
      }),
      sendKey: Effect.fn("MemoryRuntime.sendKey")(function* (name: string, key: AgentKey) {
        const session = yield* runningSession("press a key in session", name)
        if (session.paneDead) return yield* new SessionNotRunning({ id: name })
        const now = yield* DateTime.now
        // As in a terminal: Ctrl-C ends a stand-in agent, Enter submits an empty line, the rest change nothing visible.
        const reply = key === "Enter" ? (session.agent.onInput?.("") ?? {}) : {}
        const paneDead = key === "C-c" || (reply.exits ?? false)
        const exitStatus = key === "C-c" ? undefined : 0
        const lines = [...session.lines, ...(reply.output === undefined ? [] : linesOf(reply.output))]
        yield* Ref.update(world, (current) => ({
          ...withSessions(current, (sessions) => sessions.set(name, { ...session, lastActivityAt: now, lines, paneDead, exitStatus })),
          keys: new Map(current.keys).set(name, [...(current.keys.get(name) ?? []), key])
        }))
      }),
      capture: Effect.fn("MemoryRuntime.capture")(function* (name: string, historyLines: number) {
        const session = yield* runningSession("capture session", name)
        return session.lines.slice(-(historyLines + PANE_ROWS)).join("\n")
      }),
      attachCommand: (name) => ["memory-runtime", "attach", name]
    })

    const control = MemoryRuntimeControl.of({
      crash: (name) => Effect.asVoid(remove(name)),
      stopServer: Ref.update(world, (current) => ({ ...current, sessions: new Map() })),
      exitAgent: (name, exitStatus = 0) =>
        change(name, (session, now) => ({ ...session, paneDead: true, exitStatus, lastActivityAt: now })),
      print: (name, text) =>
        change(name, (session, now) => ({ ...session, lastActivityAt: now, lines: [...session.lines, ...linesOf(text)] })),
      setLastActivity: (name, at) => change(name, (session) => ({ ...session, lastActivityAt: at })),
      setAttachedClients: (name, count) => change(name, (session) => ({ ...session, attachedClients: count })),
      sent: (name) => Effect.map(Ref.get(world), (current) => current.sent.get(name) ?? []),
      keys: (name) => Effect.map(Ref.get(world), (current) => current.keys.get(name) ?? []),
      launches: Effect.map(Ref.get(world), (current) => current.launches)
    })

    return Context.make(Runtime, runtime).pipe(Context.add(MemoryRuntimeControl, control))
  })

export const MemoryRuntime = {
  /** A fresh, empty runtime and the control over it (both from the same state). */
  layer: (options: MemoryRuntimeOptions): Layer.Layer<Runtime | MemoryRuntimeControl> =>
    Layer.effectContext(makeMemoryRuntime(options))
}
