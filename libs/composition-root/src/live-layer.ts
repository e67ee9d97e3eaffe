import {
  AoConfig,
  DEFAULT_GITHUB_API_URL,
  makeAgentLauncherLayer,
  makeActivityLogLayer,
  makeAgentHooksLayer,
  makeConfigLayer,
  makeEventLogLayer,
  makeSessionStoreLayer,
  resolveDataDir,
  TaskFileLive,
  TranscriptsLive,
  activityDir,
  containerActivityDir,
  eventLogPath
} from "@ao/adapters-store"
import { makeGitWorkspaceLive } from "@ao/adapters-git"
import { makeTmuxRuntimeLayer } from "@ao/adapters-tmux"
// The subpath holds only the no-GitHub layer (domain and effect): the GitHub code stays behind the dynamic import below.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { NoTrackerLive } from "@ao/adapters-tracker/no-tracker"
import type {
  ActivityLog,
  AgentHooks,
  AgentLauncher,
  ConfigInvalid,
  ConfigNotFound,
  EventLog,
  Notifier,
  Projects,
  Runtime,
  Scm,
  SessionStore,
  TaskFile,
  Transcripts,
  Tracker,
  Workspace
} from "@ao/domain"
import { Effect, Layer, Option } from "effect"
import { join } from "node:path"
import { makeConfiguredNotifierLayer } from "./notifier-layer"
import type { Whereabouts } from "./whereabouts"

/** What a frontend knows about where it runs; nothing is read from the process behind its back. */
export interface LiveOptions extends Whereabouts {
  /** Who acts, stamped on every audit event: `cli:<pid>`, `api:<pid>`. */
  readonly actor: string
  /** The argv that runs this `ao` (agents' hooks call `ao hook`); without it no hooks are installed. */
  readonly aoCommand?: ReadonlyArray<string>
}

/** Every port the use cases need. */
export type LiveServices =
  | Projects
  | SessionStore
  | EventLog
  | Runtime
  | Workspace
  | AgentLauncher
  | Tracker
  | Scm
  | ActivityLog
  | AgentHooks
  | TaskFile
  | Transcripts

/** Config loading fails when the layer is built: ConfigNotFound says `Run: ao init`. */
export type LiveError = ConfigNotFound | ConfigInvalid

/**
 * The GitHub adapter is a chunk of its own, loaded when the layer is built for
 * a config where some project uses GitHub (a config without GitHub never
 * evaluates it); Octokit, its heavy part, is imported only by the first request
 * GitHub must answer, so a command served from the PR cache never loads it.
 * The API URL is the config's `github.apiUrl` when set, else GITHUB_API_URL.
 */
const trackerLayer = (options: LiveOptions, dataDir: string): Layer.Layer<Tracker | Scm, never, AoConfig> =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const config = yield* AoConfig
      if (!config.projects.some((project) => project.tracker === "github" || project.scm === "github")) return NoTrackerLive
      const tracker = yield* Effect.promise(() => import("@ao/adapters-tracker"))
      return tracker.makeGitHubLayer({
        env: options.env,
        cacheDir: join(dataDir, "cache"),
        ...(config.github.apiUrl === DEFAULT_GITHUB_API_URL ? {} : { apiUrl: config.github.apiUrl })
      })
    })
  )

/** The project a session name belongs to: the longest session prefix it starts with. */
const projectOfSession =
  (projects: ReadonlyArray<{ readonly id: string; readonly sessionPrefix: string }>) =>
  (session: string): string | undefined =>
    projects
      .filter((project) => session === project.sessionPrefix || session.startsWith(`${project.sessionPrefix}-`))
      .sort((a, b) => b.sessionPrefix.length - a.sessionPrefix.length)[0]?.id

/**
 * tmux, and when a project says `runtime: docker`, the docker runtime over it
 * (a chunk of its own, loaded only then): its sessions' agents run in
 * containers, every other session stays a plain tmux session.
 */
const runtimeLayer = (options: LiveOptions, dataDir: string): Layer.Layer<Runtime, never, AoConfig> => {
  const tmux = makeTmuxRuntimeLayer({ env: options.env })
  return Layer.unwrapEffect(
    Effect.gen(function* () {
      const config = yield* AoConfig
      const containers = config.containers ?? {}
      const dockerProjects = config.projects.flatMap((project) => {
        const settings = containers[project.id]
        return settings === undefined ? [] : [{ id: project.id, repoPath: project.path, settings }]
      })
      if (dockerProjects.length === 0) return tmux
      const docker = yield* Effect.promise(() => import("@ao/adapters-docker"))
      return docker
        .makeDockerRuntimeLayer({
          projects: dockerProjects,
          projectOfSession: projectOfSession(config.projects),
          storeId: docker.storeIdOf(dataDir),
          env: options.env,
          homeDir: options.homeDir,
          user: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
          // Hooks in containers report to a directory of the session's own, read with its activity log.
          containerHooks: {
            dirOf: (session) => containerActivityDir(dataDir, session),
            script: join(activityDir(dataDir), "container-hook.sh")
          }
        })
        .pipe(Layer.provide(tmux))
    })
  )
}

/** The Workspace over git, saving what the config's `snapshot:` block says to `<dataDir>/saved`. */
const workspaceLayer = (dataDir: string): Layer.Layer<Workspace, never, AoConfig> =>
  Layer.unwrapEffect(Effect.map(AoConfig, (config) => makeGitWorkspaceLive({ dataDir, settings: config.snapshot })))

/**
 * The one live layer every frontend runs on: config → store → tmux → git → GitHub.
 * It also provides the whole config (AoConfig), for settings beyond projects such as the HTTP API's port.
 */
export const makeLiveLayer = (options: LiveOptions): Layer.Layer<LiveServices | AoConfig | Notifier, LiveError> => {
  const dataDir = resolveDataDir(options.env, options.homeDir, options.cwd)
  return Layer.mergeAll(
    makeSessionStoreLayer({ dataDir }),
    makeEventLogLayer({ dataDir, actor: options.actor }),
    runtimeLayer(options, dataDir),
    workspaceLayer(dataDir),
    makeAgentLauncherLayer({ dataDir }),
    makeActivityLogLayer({ dataDir }),
    makeAgentHooksLayer({ aoCommand: Option.fromNullable(options.aoCommand), dataDir }),
    TaskFileLive,
    TranscriptsLive,
    trackerLayer(options, dataDir),
    // Not among LiveServices: only `ao doctor` asks it (optionally), to name a notifier that cannot run here.
    makeConfiguredNotifierLayer({ dataDir, env: options.env })
  ).pipe(Layer.provideMerge(makeConfigLayer({ cwd: options.cwd, env: options.env, homeDir: options.homeDir })))
}

/** Where agents' hooks append their activity logs, one file per session: a frontend may watch it to learn of state changes at once. */
export const activityDirectory = (where: Whereabouts): string => activityDir(resolveDataDir(where.env, where.homeDir, where.cwd))

/** The event log's file: a frontend following the log may watch it to read only when it changes. */
export const eventLogFile = (where: Whereabouts): string => eventLogPath(resolveDataDir(where.env, where.homeDir, where.cwd))
