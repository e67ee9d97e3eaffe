import {
  agentCommandProblem,
  checkRuntimeSessionName,
  Runtime,
  RuntimeFailed,
  type RuntimeLaunch,
  type RuntimeServer,
  type RuntimeServerListing,
  type RuntimeSessionInfo,
  ToolMissing
} from "@ao/domain"
import { DateTime, Effect, Either, Layer, Option } from "effect"
import { accessSync, chmodSync, constants, createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs"
import { basename, delimiter, dirname, join } from "node:path"
import { CONTAINER_HOOK_SCRIPT } from "./container-hook"
import { bringBack, type CloneFailed, packTar, stageClone, unpackTar, withTransferDir } from "./clone-workspace"
import {
  containerCreateBody,
  containerNameOf,
  type ContainerSettings,
  LABEL_PROJECT,
  LABEL_SESSION,
  LABEL_STORE,
  LABEL_WORKSPACE,
  volumeNameOf
} from "./container-spec"
import { DockerEngine, type EngineFailure } from "./engine-client"
import { type EngineEndpoint, resolveEngineEndpoint } from "./engine-endpoint"

/** A project whose agents run in containers. */
export interface DockerProject {
  readonly id: string
  /** The project's repository: its `.git` directory is mounted so git works in the worktree. */
  readonly repoPath: string
  readonly settings: ContainerSettings
}

export interface DockerRuntimeOptions {
  readonly projects: ReadonlyArray<DockerProject>
  /** The project a session name belongs to, among ALL projects (so a tmux project's session is never taken for a docker one). */
  readonly projectOfSession: (session: string) => string | undefined
  /** Labels every container with it; see storeIdOf. */
  readonly storeId: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly homeDir: string
  /** Who the agent runs as: the user's uid and gid. */
  readonly user: { readonly uid: number; readonly gid: number }
  /**
   * Where the hooks of an agent in a container report (mount mode only: an
   * engine on another machine cannot see these paths): the session's own
   * directory, and the host path the hook script is written to. Without
   * it, docker sessions show states from the screen only.
   */
  readonly containerHooks?: { readonly dirOf: (session: string) => string | undefined; readonly script: string }
  /** The client for an endpoint (tests may replace it); default DockerEngine over node:http. */
  readonly engineAt?: (endpoint: EngineEndpoint) => DockerEngine["Type"]
}

const findExecutable = (name: string, path: string | undefined): boolean =>
  (path ?? "").split(delimiter).some((dir) => {
    if (dir === "") return false
    try {
      accessSync(join(dir, name), constants.X_OK)
      return true
    } catch {
      return false
    }
  })

const isEmptyDirectory = (path: string): boolean => {
  try {
    return readdirSync(path).length === 0
  } catch {
    return false
  }
}

const directoryExists = (path: string): boolean => {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/**
 * The docker runtime: sessions of docker projects run their agent in a
 * container of their own; every other session goes to the tmux runtime
 * underneath, untouched.
 *
 * The container only sleeps; the session's host tmux pane runs
 * `docker exec -it <container> <agent argv>`. So send, logs, attach and the
 * screen-read states work exactly as for tmux sessions, and the agent's
 * exit leaves a dead pane as it does there. A session belongs to a project
 * by its launch's AO_PROJECT_ID (every agent's environment carries it) and,
 * for name-only calls, by its name's prefix.
 */
export const makeDockerRuntimeLayer = (options: DockerRuntimeOptions): Layer.Layer<Runtime, never, Runtime> =>
  Layer.effect(
    Runtime,
    Effect.gen(function* () {
      const tmux = yield* Runtime
      const byId = new Map(options.projects.map((project) => [project.id, project]))
      const engines = new Map<string, Either.Either<DockerEngine["Type"], string>>()

      /** The project's engine client, one per address; Left says why the address is unusable. */
      const engineOf = (project: DockerProject): Either.Either<DockerEngine["Type"], string> => {
        const endpoint = resolveEngineEndpoint(project.settings.engine, options.env, options.homeDir)
        const key = Either.match(endpoint, { onLeft: (problem) => `!${problem}`, onRight: (parsed) => parsed.url })
        const known = engines.get(key)
        if (known !== undefined) return known
        const engine = Either.map(endpoint, (parsed) =>
          options.engineAt === undefined ? Effect.runSync(Effect.provide(DockerEngine, DockerEngine.layer(parsed))) : options.engineAt(parsed)
        )
        engines.set(key, engine)
        return engine
      }

      const failed = (operation: string, target: string, url: string) => (failure: EngineFailure) =>
        new RuntimeFailed({
          operation,
          target,
          runtime: `the Docker engine at ${url}`,
          detail: failure._tag === "EngineUnreachable" ? `it does not answer: ${failure.detail}` : `${failure.reason} (${failure.status})`
        })

      const engineFor = (operation: string, target: string, project: DockerProject) =>
        Either.match(engineOf(project), {
          onLeft: (problem) =>
            Effect.fail(new RuntimeFailed({ operation, target, runtime: "docker", detail: `project ${project.id}: ${problem}` })),
          onRight: (engine) => Effect.succeed(engine)
        })

      const dockerProjectOfName = (name: string) => {
        const id = options.projectOfSession(name)
        return id === undefined ? undefined : byId.get(id)
      }

      const containerOf = (session: string) => containerNameOf(options.storeId, session)
      const volumeOf = (session: string) => volumeNameOf(options.storeId, session)

      /** What the tmux pane runs: the docker CLI attached to the container, with the launch's environment. */
      const execArgv = (engineUrl: string, launch: RuntimeLaunch, container: string): ReadonlyArray<string> => [
        "docker",
        "-H",
        engineUrl,
        "exec",
        "-it",
        "-w",
        launch.cwd,
        ...Object.entries(launch.env).flatMap(([name, value]) => ["-e", `${name}=${value}`]),
        container,
        ...launch.argv
      ]

      /** TLS settings the docker CLI in the pane needs to reach the same engine. */
      const cliEnvironment = (): Record<string, string> =>
        Object.fromEntries(
          ["DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONFIG"].flatMap((name) => {
            const value = options.env[name]
            return value === undefined || value === "" ? [] : [[name, value]]
          })
        )

      const createInContainer = Effect.fn("DockerRuntime.create")(function* (launch: RuntimeLaunch, project: DockerProject) {
        const operation = "create session"
        yield* checkRuntimeSessionName(operation, launch.name)
        const problem = agentCommandProblem(launch.argv)
        if (problem !== undefined) return yield* new RuntimeFailed({ operation, target: launch.name, detail: problem })
        if (!findExecutable("docker", options.env["PATH"])) return yield* new ToolMissing({ tool: "docker" })
        if (!directoryExists(launch.cwd)) {
          return yield* new RuntimeFailed({ operation, target: launch.name, detail: `its working directory ${launch.cwd} does not exist` })
        }
        const engine = yield* engineFor(operation, launch.name, project)
        const fail = failed(operation, launch.name, engine.url)
        if (!(yield* Effect.mapError(engine.hasImage(project.settings.image), fail))) {
          return yield* new RuntimeFailed({
            operation,
            target: launch.name,
            runtime: `the Docker engine at ${engine.url}`,
            detail: `image ${project.settings.image} is not there; build or load it on that engine (ao never pulls images), or change docker.image of project ${project.id}`
          })
        }
        // A running session that holds the name keeps its container: tmux reports the name as taken.
        // (A server that cannot be asked, e.g. one exiting after its last session was killed, is tmux.create's to judge.)
        if (Either.getOrElse(yield* Effect.either(tmux.exists(launch.name, launch.server)), () => false)) {
          return yield* tmux.create(launch)
        }
        const container = containerOf(launch.name)
        // A container left from an earlier run of this session (its pane is gone): start afresh.
        yield* Effect.mapError(engine.removeContainer(container), fail)
        const clone = project.settings.workspace === "clone"
        const volume = volumeOf(launch.name)
        // In the clone mode a volume that is still there holds the session's work (restore after the
        // container was removed): the container gets it back as it is. A new volume is filled below.
        const fresh = clone && (yield* Effect.mapError(engine.inspectVolume(volume), fail)) === undefined
        if (fresh) yield* Effect.mapError(engine.createVolume(volume, labelsOf(launch.name, project, launch.cwd)), fail)
        const hooks = clone ? undefined : yield* prepareHooks(launch.name)
        const body = containerCreateBody({
          storeId: options.storeId,
          session: launch.name,
          project: project.id,
          workspacePath: launch.cwd,
          gitDir: clone ? undefined : gitDirOf(project),
          ...(clone ? { volume } : {}),
          ...(hooks === undefined ? {} : { hooks }),
          user: options.user,
          settings: project.settings
        })
        const undo = Effect.ignore(engine.removeContainer(container)).pipe(
          Effect.zipRight(fresh ? Effect.ignore(engine.removeVolume(volume)) : Effect.void)
        )
        yield* Effect.mapError(engine.createContainer(container, body), fail).pipe(Effect.tapError(() => undo))
        yield* Effect.mapError(engine.startContainer(container), fail).pipe(Effect.tapError(() => undo))
        if (fresh) yield* fillVolume(engine, container, launch, project).pipe(Effect.tapError(() => undo))
        return yield* tmux
          .create({ ...launch, argv: execArgv(engine.url, launch, container), env: { ...launch.env, ...cliEnvironment() } })
          .pipe(Effect.tapError(() => undo))
      })

      /** The session's hook directory (emptied: a new container starts a new log) and the hook script, on the host. */
      const prepareHooks = (session: string) =>
        Effect.try({
          try: () => {
            const settings = options.containerHooks
            const dir = settings?.dirOf(session)
            if (settings === undefined || dir === undefined) return undefined
            rmSync(dir, { recursive: true, force: true })
            mkdirSync(dir, { recursive: true, mode: 0o700 })
            mkdirSync(dirname(settings.script), { recursive: true })
            writeFileSync(settings.script, CONTAINER_HOOK_SCRIPT)
            chmodSync(settings.script, 0o755)
            return { dir, script: settings.script }
          },
          catch: (error) =>
            new RuntimeFailed({
              operation: "create session",
              target: session,
              detail: `could not prepare the directory its agent's hooks report to: ${error instanceof Error ? error.message : String(error)}`
            })
        })

      /** After the container is gone: its hook directory too (never fails a kill). */
      const removeHooks = (session: string) =>
        Effect.sync(() => {
          const dir = options.containerHooks?.dirOf(session)
          if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
        }).pipe(Effect.ignore)

      const gitDirOf = (project: DockerProject) => {
        const gitDir = join(project.repoPath, ".git")
        return directoryExists(gitDir) ? gitDir : undefined
      }

      const labelsOf = (session: string, project: DockerProject, workspacePath: string) => ({
        [LABEL_STORE]: options.storeId,
        [LABEL_SESSION]: session,
        [LABEL_PROJECT]: project.id,
        [LABEL_WORKSPACE]: workspacePath
      })

      const cloneFailed = (operation: string, target: string, url: string) => (failure: CloneFailed | EngineFailure) =>
        failure._tag === "CloneFailed"
          ? new RuntimeFailed({ operation, target, runtime: `the Docker engine at ${url}`, detail: failure.detail })
          : failed(operation, target, url)(failure)

      /** Streams a clone of the project at the worktree's HEAD, with the worktree's files, into the session's volume. */
      const fillVolume = (engine: DockerEngine["Type"], container: string, launch: RuntimeLaunch, project: DockerProject) =>
        withTransferDir((dir) =>
          Effect.gen(function* () {
            const name = yield* stageClone({ repoPath: project.repoPath, worktree: launch.cwd, dir })
            const file = join(dir, "fill.tar")
            yield* packTar(dir, name, file)
            // Into the mount point's parent: the tar's top entry is the mount point, which so becomes the user's.
            yield* engine.putArchive(container, dirname(launch.cwd), () => createReadStream(file))
          })
        ).pipe(Effect.mapError(cloneFailed("fill the volume of", launch.name, engine.url)))

      /**
       * Before a clone-mode session's volume goes: its files and git data are
       * streamed out and brought back into the local worktree and repository
       * (see clone-workspace.ts), then the container and the volume are
       * removed. Anything failing keeps the volume, so nothing is lost.
       */
      const killClone = (engine: DockerEngine["Type"], name: string, project: DockerProject) =>
        Effect.gen(function* () {
          const operation = "bring back the work of"
          const fail = failed(operation, name, engine.url)
          const container = containerOf(name)
          const volume = volumeOf(name)
          const described = yield* Effect.mapError(engine.inspectVolume(volume), fail)
          if (described === undefined) return yield* Effect.mapError(engine.removeContainer(container), fail)
          const worktree = described.Labels?.[LABEL_WORKSPACE] ?? ""
          const kept = (why: string) =>
            new RuntimeFailed({
              operation,
              target: name,
              runtime: `the Docker engine at ${engine.url}`,
              detail: `${why}, so the volume ${volume} that holds its work is kept; run \`ao session restore --recreate ${name}\` and kill it again, or copy its files out yourself and remove it with \`docker -H ${engine.url} volume rm ${volume}\``
            })
          if (!worktree.startsWith("/")) return yield* kept("its worktree is not known")
          // The container is needed to read the volume; one removed behind ao's back is made again, not started.
          if (!(yield* Effect.mapError(engine.containerExists(container), fail))) {
            const body = containerCreateBody({
              storeId: options.storeId,
              session: name,
              project: project.id,
              workspacePath: worktree,
              gitDir: undefined,
              volume,
              user: options.user,
              settings: project.settings
            })
            yield* Effect.mapError(engine.createContainer(container, body), fail)
          }
          // "kept": the worktree is gone and the volume holds files; "empty": nothing to save; "back": brought back.
          const outcome = yield* withTransferDir((dir) =>
            Effect.gen(function* () {
              const file = join(dir, "volume.tar")
              yield* engine.getArchive(container, worktree, () => createWriteStream(file))
              yield* unpackTar(file, dir)
              const extracted = join(dir, basename(worktree))
              if (!directoryExists(worktree)) return isEmptyDirectory(extracted) ? ("empty" as const) : ("kept" as const)
              yield* bringBack({ repoPath: project.repoPath, worktree, session: name, extracted })
              return "back" as const
            })
          ).pipe(Effect.mapError(cloneFailed(operation, name, engine.url)))
          const removed = yield* Effect.mapError(engine.removeContainer(container), fail)
          if (outcome === "kept") return yield* kept(`its worktree ${worktree} is gone`)
          yield* Effect.mapError(engine.removeVolume(volume), fail)
          return removed || outcome === "empty"
        })

      /**
       * Volumes of ours whose session has neither a tmux session nor a
       * container (a clone-mode kill that failed half way, a crash): listed
       * as dead sessions of their own, so doctor reports them, and its
       * repair, a kill, brings their work back before removing them. One
       * list call per engine of a clone-mode project; `ls` never asks.
       */
      const leftoverVolumes = (held: ReadonlySet<string>) =>
        Effect.gen(function* () {
          const leftovers: Array<RuntimeSessionInfo> = []
          const listed = new Set<string>()
          const now = yield* DateTime.now
          for (const project of options.projects) {
            const engine = engineOf(project)
            if (project.settings.workspace !== "clone" || Either.isLeft(engine) || listed.has(engine.right.url)) continue
            listed.add(engine.right.url)
            const volumes = yield* Effect.either(engine.right.listVolumes({ [LABEL_STORE]: options.storeId }))
            if (Either.isLeft(volumes)) continue
            for (const volume of volumes.right) {
              const session = volume.Labels?.[LABEL_SESSION]
              if (session === undefined || held.has(session) || dockerProjectOfName(session) === undefined) continue
              leftovers.push({
                name: session,
                createdAt: now,
                lastActivityAt: now,
                attachedClients: 0,
                paneDead: true,
                paneCommand: "",
                path: volume.Labels?.[LABEL_WORKSPACE] ?? "",
                leftover: `its volume ${volume.Name}, which may hold the session's work`
              })
            }
          }
          return leftovers
        })

      /** Our containers, with ONE list call per engine in use; None when no engine answered. */
      const containerIndex = Effect.gen(function* () {
        const running = new Set<string>()
        const found = new Map<string, RuntimeSessionInfo>()
        const listed = new Set<string>()
        let answered = false
        for (const project of options.projects) {
          const engine = engineOf(project)
          if (Either.isLeft(engine) || listed.has(engine.right.url)) continue
          listed.add(engine.right.url)
          // An engine that does not answer leaves its sessions as tmux shows them.
          const containers = yield* Effect.either(engine.right.listContainers({ [LABEL_STORE]: options.storeId }))
          if (Either.isLeft(containers)) continue
          answered = true
          for (const container of containers.right) {
            const session = container.Labels[LABEL_SESSION]
            if (session === undefined) continue
            if (container.State === "running") running.add(session)
            const created = DateTime.unsafeMake(container.Created * 1000)
            found.set(session, {
              name: session,
              createdAt: created,
              lastActivityAt: created,
              attachedClients: 0,
              paneDead: true,
              paneCommand: "",
              path: container.Labels[LABEL_WORKSPACE] ?? "",
              leftover: `its container ${containerOf(session)}`
            })
          }
        }
        return answered ? Option.some({ running, found }) : Option.none()
      })

      type ContainerIndex = Effect.Effect.Success<typeof containerIndex>

      /**
       * Docker sessions whose container is not running are dead (their agent
       * cannot run). With `orphans`, a container of ours that no tmux session
       * of any listed server holds is listed as a dead session of its own, so
       * doctor reports it (no record, or an ended one) and its repair, a
       * kill, removes it.
       */
      const withContainers = (
        sessions: ReadonlyArray<RuntimeSessionInfo>,
        index: ContainerIndex,
        orphansBesides: ReadonlySet<string> | undefined
      ): ReadonlyArray<RuntimeSessionInfo> =>
        Option.match(index, {
          onNone: () => sessions,
          onSome: ({ found, running }) => [
            ...sessions.map((session) =>
              dockerProjectOfName(session.name) === undefined || running.has(session.name)
                ? session
                : found.has(session.name)
                  ? { ...session, paneDead: true }
                  : { ...session, paneDead: true, sandboxGone: `its container ${containerOf(session.name)} is gone` }
            ),
            ...(orphansBesides === undefined ? [] : [...found.values()].filter((info) => !orphansBesides.has(info.name)))
          ]
        })

      return Runtime.of({
        create: (launch) => {
          const project = byId.get(launch.env["AO_PROJECT_ID"] ?? "")
          return project === undefined ? tmux.create(launch) : createInContainer(launch, project)
        },
        exists: tmux.exists,
        kill: Effect.fn("DockerRuntime.kill")(function* (name: string, server?: RuntimeServer) {
          const tmuxKilled = yield* tmux.kill(name, server)
          const project = dockerProjectOfName(name)
          if (project === undefined) return tmuxKilled
          const engine = yield* engineFor("kill session", name, project)
          const removed =
            project.settings.workspace === "clone"
              ? yield* killClone(engine, name, project)
              : yield* Effect.mapError(engine.removeContainer(containerOf(name)), failed("remove the container of", name, engine.url))
          yield* removeHooks(name)
          return tmuxKilled || removed
        }),
        list: Effect.gen(function* () {
          const sessions = yield* tmux.list
          if (options.projects.length === 0) return sessions
          const listed = withContainers(sessions, yield* containerIndex, new Set(sessions.map((session) => session.name)))
          return [...listed, ...(yield* leftoverVolumes(new Set(listed.map((session) => session.name))))]
        }),
        listServers: Effect.fn("DockerRuntime.listServers")(function* (servers: ReadonlyArray<RuntimeServer | undefined>) {
          const listings = yield* tmux.listServers(servers)
          if (options.projects.length === 0) return listings
          const index = yield* containerIndex
          // Orphans go with the default server's listing, and only when every server answered:
          // a container may belong to a session on a server that could not be asked.
          const everyListed = listings.every((listing) => listing._tag !== "Unknown")
          const held = new Set(listings.flatMap((listing) => (listing._tag === "Listed" ? listing.sessions.map((info) => info.name) : [])))
          const defaultAt = servers.findIndex((server) => server === undefined)
          return listings.map((listing, at): RuntimeServerListing =>
            listing._tag === "Listed"
              ? { _tag: "Listed", sessions: withContainers(listing.sessions, index, everyListed && at === defaultAt ? held : undefined) }
              : listing
          )
        }),
        sendText: tmux.sendText,
        sendKey: tmux.sendKey,
        capture: tmux.capture,
        attachCommand: tmux.attachCommand
      })
    })
  )
