import {
  type ActivityLog,
  type AgentHooks,
  type TaskFile,
  type Transcripts,
  type AgentLauncher,
  type BrokenSessionRecord,
  type EventLog,
  Project,
  type Projects,
  type Runtime,
  type Scm,
  type Session,
  type SessionStore,
  type Tracker,
  Workspace
} from "@ao/domain"
import { Effect, Layer, Schema } from "effect"
import { MemoryActivityLog } from "./activity-log"
import { MemoryAgentHooks, type MemoryAgentHooksControl } from "./agent-hooks"
import { MemoryTaskFile } from "./task-file"
import { MemoryTranscripts, type MemoryTranscriptsControl } from "./transcripts"
import { MemoryAgentLauncher } from "./agent-launcher"
import { type MemoryEventLog, MemoryEventLogLive } from "./event-log"
import { MemoryProjects } from "./projects"
import { MemoryRuntime, type MemoryRuntimeControl, type MemoryRuntimeOptions } from "./runtime"
import { MemorySessionStore, type MemorySessionStoreOptions } from "./session-store"
import { MemoryTrackerLive, type MemoryTrackerControl } from "./tracker"
import { MemoryWorkspace, type MemoryWorkspaceControl } from "./workspace"

/** A project as agent-orchestrator.yaml would configure it; override what a test is about. */
export const memoryProject = (overrides: Partial<typeof Project.Encoded> = {}): Project =>
  Schema.decodeSync(Project)({
    id: "agent-orchestrator",
    name: "Agent Orchestrator",
    repo: "owner/repo",
    path: "/repos/agent-orchestrator",
    defaultBranch: "main",
    sessionPrefix: "ao",
    agent: { name: "claude", launch: ["claude"], resume: ["claude", "--continue"], promptFlag: null },
    agents: [{ name: "codex", launch: ["codex"], resume: ["codex", "resume", "--last"], promptFlag: null }],
    worktreeDir: "/worktrees",
    tracker: "github",
    scm: "github",
    idleAfterSeconds: 300,
    // Tests look at a spawned agent at once; the wait itself is tested with TestClock.
    startupCheckSeconds: 0,
    ...overrides
  })

/**
 * Two projects: one on GitHub (issues and PRs looked up) and one without a
 * tracker, so tests meet both paths.
 */
export const memoryProjects: ReadonlyArray<Project> = [
  memoryProject(),
  memoryProject({
    id: "my-app",
    name: "My App",
    repo: null,
    path: "/repos/my-app",
    sessionPrefix: "ma",
    tracker: "none",
    scm: "none",
    idleAfterSeconds: 600
  })
]

export interface MemoryWorldOptions {
  readonly projects?: ReadonlyArray<Project>
  readonly sessions?: ReadonlyArray<Session>
  readonly broken?: ReadonlyArray<BrokenSessionRecord>
  readonly staleLocks?: ReadonlyArray<{ readonly id: string; readonly holderPid: number }>
  /** Temporary files store writers left behind. */
  readonly temporaries?: MemorySessionStoreOptions["temporaries"]
  /** The runtime's agents; sessions start in the memory workspace's worktrees or in `directories`. */
  readonly runtime?: Omit<MemoryRuntimeOptions, "directoryExists">
  /** Directories that exist besides the worktrees, where a person runs tmux sessions of their own (default: /tmp). */
  readonly directories?: ReadonlyArray<string>
  readonly actor?: string
}

/** Every port, plus the controls a test uses to play the world around it. */
export type MemoryWorldServices =
  | Projects
  | SessionStore
  | EventLog
  | MemoryEventLog
  | Runtime
  | MemoryRuntimeControl
  | Workspace
  | MemoryWorkspaceControl
  | Tracker
  | Scm
  | MemoryTrackerControl
  | AgentLauncher
  | ActivityLog
  | AgentHooks
  | MemoryAgentHooksControl
  | TaskFile
  | Transcripts
  | MemoryTranscriptsControl

/**
 * Every in-memory adapter in one layer, each with fresh state: provide it per
 * test (use cases' tests, the HTTP API's tests) for an isolated world.
 */
export const MemoryWorld = {
  layer: (options: MemoryWorldOptions = {}): Layer.Layer<MemoryWorldServices> =>
    Layer.mergeAll(
      MemoryProjects.layer(options.projects ?? memoryProjects),
      MemorySessionStore.layer({
        ...(options.sessions === undefined ? {} : { sessions: options.sessions }),
        ...(options.broken === undefined ? {} : { broken: options.broken }),
        ...(options.staleLocks === undefined ? {} : { staleLocks: options.staleLocks }),
        ...(options.temporaries === undefined ? {} : { temporaries: options.temporaries })
      }),
      MemoryEventLogLive({ actor: options.actor ?? "test" }),
      // A session starts only in a worktree that exists, as tmux refuses a missing directory.
      Layer.unwrapEffect(
        Effect.map(Workspace, (workspace) =>
          MemoryRuntime.layer({
            ...options.runtime,
            directoryExists: (path) =>
              (options.directories ?? ["/tmp"]).includes(path) ? Effect.succeed(true) : workspace.exists(path)
          })
        )
      ).pipe(Layer.provideMerge(MemoryWorkspace.layer)),
      MemoryTrackerLive,
      MemoryAgentLauncher,
      MemoryActivityLog,
      MemoryAgentHooks.layer(),
      MemoryTaskFile,
      MemoryTranscripts.layer()
    )
}
