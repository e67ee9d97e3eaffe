import {
  agentCommandProblem,
  type AgentKey,
  checkRuntimeSessionName,
  Runtime,
  RuntimeFailed,
  type RuntimeLaunch,
  RuntimeServer,
  type RuntimeServerListing,
  runtimeServerVerdict,
  type RuntimeSessionInfo,
  SessionAlreadyExists,
  SessionNotRunning,
  stripTerminalCodes
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
    /** Every session of the default server vanishes: the tmux server is gone. */
    readonly stopServer: Effect.Effect<void>
    /** The caller's default server is now the one at `address` (as with another TMUX_TMPDIR); its sessions stay where they are. */
    readonly useDefaultServer: (address: string) => Effect.Effect<void>
    /** The server at `address` keeps running but cannot be asked (or can again). */
    readonly setReachable: (address: string, reachable: boolean) => Effect.Effect<void>
    /**
     * The agent exits (with `exitStatus`, 0 by default); its pane stays, dead, with its output.
     * `null`: the pane is dead but its status is not known yet, as when tmux has not reaped the agent.
     */
    readonly exitAgent: (name: string, exitStatus?: number | null) => Effect.Effect<void>
    /** What the agent ran in is lost, as a docker session's removed container: its pane dies, the listing says why. */
    readonly loseSandbox: (name: string, what: string) => Effect.Effect<void>
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
  /** Text pasted without Enter: the agent reads it when Enter is pressed. */
  readonly pending?: string
  /** What the agent ran in that is gone (see RuntimeSessionInfo.sandboxGone). */
  readonly sandboxGone?: string
}

interface MemoryServer {
  readonly pid: number
  readonly reachable: boolean
  readonly sessions: ReadonlyMap<string, MemorySession>
}

/** Where the default server lives until a test moves it. */
const DEFAULT_ADDRESS = "/memory/tmux-0/default"

interface World {
  /** The servers running, by address. */
  readonly servers: ReadonlyMap<string, MemoryServer>
  readonly defaultAddress: string
  readonly nextPid: number
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
  path: session.launch.cwd,
  ...(session.sandboxGone === undefined ? {} : { sandboxGone: session.sandboxGone })
})

/** A server that did not answer: the same evidence rule as tmux's (it runs, so it is unknown). */
const unreachableVerdict = (address: string, server: MemoryServer) =>
  runtimeServerVerdict({ address, pid: server.pid, socket: "unreachable", pidAlive: true, detail: "the server does not answer" })

/**
 * A Runtime in memory with tmux's semantics: exact names, a dead pane kept
 * with its output, typed text echoed into the pane as a terminal does, and
 * servers by address that a test can move the default away from, stop, or
 * make unreachable.
 */
export const makeMemoryRuntime = (options: MemoryRuntimeOptions) =>
  Effect.gen(function* () {
    const world = yield* Ref.make<World>({
      servers: new Map(),
      defaultAddress: DEFAULT_ADDRESS,
      nextPid: 1000,
      sent: new Map(),
      keys: new Map(),
      launches: []
    })

    const addressOf = (current: World, server: RuntimeServer | undefined) => server?.address ?? current.defaultAddress

    const withServer = (current: World, address: string, change: (sessions: Map<string, MemorySession>) => void): World => {
      const server = current.servers.get(address)
      if (server === undefined) return current
      const sessions = new Map(server.sessions)
      change(sessions)
      return { ...current, servers: new Map(current.servers).set(address, { ...server, sessions }) }
    }

    /** The address holding a session of that name, the default server first (for the test's control). */
    const holderOf = (current: World, name: string): string | undefined =>
      current.servers.get(current.defaultAddress)?.sessions.has(name) === true
        ? current.defaultAddress
        : [...current.servers.entries()].find(([, server]) => server.sessions.has(name))?.[0]

    /**
     * The session on the caller's server, as tmux answers it: undefined when
     * the session or the server is gone; "runtime unknown" when a recorded
     * server runs but cannot be asked.
     */
    const lookup = (operation: string, name: string, server: RuntimeServer | undefined) =>
      Effect.flatMap(Ref.get(world), (current) => {
        const address = addressOf(current, server)
        const running = current.servers.get(address)
        if (running === undefined) return Effect.succeed(undefined)
        if (!running.reachable) {
          const verdict = unreachableVerdict(address, running)
          return verdict._tag === "Dead"
            ? Effect.succeed(undefined)
            : Effect.fail(new RuntimeFailed({ operation, target: name, detail: `runtime unknown: ${verdict.reason}; nothing was changed` }))
        }
        return Effect.succeed(running.sessions.get(name) === undefined ? undefined : { address, session: running.sessions.get(name)! })
      })

    /** Changes a session the test says exists; a missing one is a mistake in the test. */
    const change = (name: string, update: (session: MemorySession, now: DateTime.Utc) => MemorySession) =>
      Effect.flatMap(DateTime.now, (now) =>
        Ref.modify(world, (current): [boolean, World] => {
          const address = holderOf(current, name)
          const session = address === undefined ? undefined : current.servers.get(address)?.sessions.get(name)
          if (address === undefined || session === undefined) return [false, current]
          return [true, withServer(current, address, (sessions) => sessions.set(name, update(session, now)))]
        })
      ).pipe(
        Effect.flatMap((changed) => (changed ? Effect.void : Effect.dieMessage(`MemoryRuntimeControl: no session ${name}`)))
      )

    const remove = (address: string, name: string) =>
      Ref.modify(world, (current): [boolean, World] =>
        current.servers.get(address)?.sessions.has(name) === true
          ? [true, withServer(current, address, (sessions) => sessions.delete(name))]
          : [false, current]
      )

    const runningSession = Effect.fn("MemoryRuntime.runningSession")(function* (
      operation: string,
      name: string,
      server: RuntimeServer | undefined
    ) {
      yield* checkRuntimeSessionName(operation, name)
      const found = yield* lookup(operation, name, server)
      if (found === undefined) return yield* new SessionNotRunning({ id: name })
      return found
    })

    const listOne = (current: World, server: RuntimeServer | undefined): Effect.Effect<RuntimeServerListing, RuntimeFailed> => {
      const address = addressOf(current, server)
      const running = current.servers.get(address)
      // No server is no sessions; a recorded one that is gone is dead.
      if (running === undefined) return Effect.succeed(server === undefined ? { _tag: "Listed", sessions: [] } : { _tag: "Dead" })
      if (!running.reachable) {
        return server === undefined
          ? Effect.fail(new RuntimeFailed({ operation: "list", target: "sessions", detail: `the server at ${address} does not answer` }))
          : Effect.succeed(unreachableVerdict(address, running))
      }
      return Effect.succeed({
        _tag: "Listed",
        sessions: [...running.sessions.entries()].sort(([a], [b]) => Order.string(a, b)).map(([name, session]) => infoOf(name, session))
      })
    }

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
        const created = yield* Ref.modify(world, (current): [RuntimeServer | RuntimeFailed | undefined, World] => {
          const address = addressOf(current, launch.server)
          const running = current.servers.get(address)
          if (running !== undefined && !running.reachable) {
            return [new RuntimeFailed({ operation, target: launch.name, detail: `the server at ${address} does not answer` }), current]
          }
          if (running?.sessions.has(launch.name) === true) return [undefined, current]
          // A server that is not running starts, with a new pid.
          const server = running ?? { pid: current.nextPid, reachable: true, sessions: new Map() }
          const next: World = {
            ...current,
            nextPid: running === undefined ? current.nextPid + 1 : current.nextPid,
            servers: new Map(current.servers).set(address, { ...server, sessions: new Map(server.sessions).set(launch.name, session) }),
            launches: [...current.launches, launch]
          }
          return [new RuntimeServer({ address, pid: server.pid }), next]
        })
        if (created === undefined) return yield* new SessionAlreadyExists({ id: launch.name })
        if (created instanceof RuntimeFailed) return yield* created
        return created
      }),
      exists: Effect.fn("MemoryRuntime.exists")(function* (name: string, server?: RuntimeServer) {
        yield* checkRuntimeSessionName("find session", name)
        return (yield* lookup("find session", name, server)) !== undefined
      }),
      kill: Effect.fn("MemoryRuntime.kill")(function* (name: string, server?: RuntimeServer) {
        yield* checkRuntimeSessionName("kill session", name)
        const found = yield* lookup("kill session", name, server)
        return found === undefined ? false : yield* remove(found.address, name)
      }),
      list: Effect.flatMap(Ref.get(world), (current) =>
        Effect.map(listOne(current, undefined), (listing) => (listing._tag === "Listed" ? listing.sessions : []))
      ),
      listServers: (servers) => Effect.flatMap(Ref.get(world), (current) => Effect.forEach(servers, (server) => listOne(current, server))),
      sendText: Effect.fn("MemoryRuntime.sendText")(function* (
        name: string,
        text: string,
        server?: RuntimeServer,
        options?: { readonly submit?: boolean }
      ) {
        const { address, session } = yield* runningSession("send to session", name, server)
        if (session.paneDead) return yield* new SessionNotRunning({ id: name })
        const now = yield* DateTime.now
        const submit = options?.submit ?? true
        // The terminal echoes what is typed, then (once Enter is pressed) the agent answers.
        const reply = submit ? (session.agent.onInput?.(text) ?? {}) : {}
        const lines = [...session.lines, ...linesOf(text), ...(reply.output === undefined ? [] : linesOf(reply.output))]
        yield* Ref.update(world, (current) => ({
          ...withServer(current, address, (sessions) =>
            sessions.set(name, {
              ...session,
              lastActivityAt: now,
              lines,
              paneDead: reply.exits ?? false,
              exitStatus: 0,
              ...(submit ? {} : { pending: `${session.pending ?? ""}${text}` })
            })
          ),
          sent: new Map(current.sent).set(name, [...(current.sent.get(name) ?? []), text])
        }))
      }),
      sendKey: Effect.fn("MemoryRuntime.sendKey")(function* (name: string, key: AgentKey, server?: RuntimeServer) {
        const { address, session } = yield* runningSession("press a key in session", name, server)
        if (session.paneDead) return yield* new SessionNotRunning({ id: name })
        const now = yield* DateTime.now
        // As in a terminal: Ctrl-C ends a stand-in agent, Enter submits an empty line, the rest change nothing visible.
        const reply = key === "Enter" ? (session.agent.onInput?.(session.pending ?? "") ?? {}) : {}
        const paneDead = key === "C-c" || (reply.exits ?? false)
        const exitStatus = key === "C-c" ? undefined : 0
        const lines = [...session.lines, ...(reply.output === undefined ? [] : linesOf(reply.output))]
        const { pending: _typed, ...rest } = session
        const after = key === "Enter" ? rest : session
        yield* Ref.update(world, (current) => ({
          ...withServer(current, address, (sessions) => sessions.set(name, { ...after, lastActivityAt: now, lines, paneDead, exitStatus })),
          keys: new Map(current.keys).set(name, [...(current.keys.get(name) ?? []), key])
        }))
      }),
      capture: Effect.fn("MemoryRuntime.capture")(function* (
        name: string,
        historyLines: number,
        server?: RuntimeServer,
        options?: { readonly escapes?: boolean }
      ) {
        const { session } = yield* runningSession("capture session", name, server)
        const screen = session.lines.slice(-(historyLines + PANE_ROWS)).join("\n")
        // As tmux: the pane's text, and its drawing codes only when asked for.
        return options?.escapes === true ? screen : stripTerminalCodes(screen)
      }),
      attachCommand: (name, server) => ["memory-runtime", ...(server === undefined ? [] : ["-S", server.address]), "attach", name]
    })

    const control = MemoryRuntimeControl.of({
      crash: (name) =>
        Effect.flatMap(Ref.get(world), (current) => {
          const address = holderOf(current, name)
          return address === undefined ? Effect.void : Effect.asVoid(remove(address, name))
        }),
      stopServer: Ref.update(world, (current) => {
        const servers = new Map(current.servers)
        servers.delete(current.defaultAddress)
        return { ...current, servers }
      }),
      useDefaultServer: (address) => Ref.update(world, (current) => ({ ...current, defaultAddress: address })),
      setReachable: (address, reachable) =>
        Ref.update(world, (current) => {
          const server = current.servers.get(address)
          return server === undefined ? current : { ...current, servers: new Map(current.servers).set(address, { ...server, reachable }) }
        }),
      exitAgent: (name, exitStatus = 0) =>
        change(name, (session, now) => ({ ...session, paneDead: true, exitStatus: exitStatus ?? undefined, lastActivityAt: now })),
      loseSandbox: (name, what) =>
        change(name, (session, now) => ({ ...session, paneDead: true, exitStatus: undefined, sandboxGone: what, lastActivityAt: now })),
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
