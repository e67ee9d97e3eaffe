import { createHash } from "node:crypto"
import { CONTAINER_ACTIVITY_DIR, CONTAINER_HOOK_PATH } from "./container-hook"
import type { ContainerCreateBody } from "./engine-client"

/** A host path mounted into the agent's container. */
export interface ContainerMount {
  readonly source: string
  readonly target: string
  readonly readOnly: boolean
}

/** What a project's `docker:` block configures (paths absolute, sizes in bytes). */
export interface ContainerSettings {
  readonly image: string
  /** The engine's address; default `$DOCKER_HOST`, else the local socket. */
  readonly engine?: string
  readonly mounts: ReadonlyArray<ContainerMount>
  readonly env: Readonly<Record<string, string>>
  readonly cpus?: number
  readonly memoryBytes?: number
  /** The container's network mode (`bridge`, `none`, `host`, a network's name); default the engine's. */
  readonly network?: string
  /**
   * Where the session's files live: `mount` (default) binds the local
   * worktree and the repository's `.git`, for an engine on this machine;
   * `clone` gives the session a volume of its own holding a clone, for an
   * engine that cannot see this machine's disk.
   */
  readonly workspace?: "mount" | "clone"
}

/** Labels on every container ao makes: the list call filters on the store's, the rest index it. */
export const LABEL_STORE = "dev.ao.store"
export const LABEL_SESSION = "dev.ao.session"
export const LABEL_PROJECT = "dev.ao.project"
export const LABEL_WORKSPACE = "dev.ao.workspace"

/** A short id of the session store, so two ao homes sharing an engine never touch each other's containers. */
export const storeIdOf = (dataDir: string): string => createHash("sha256").update(dataDir).digest("hex").slice(0, 12)

/** The container of a session: one per session, named for it. */
export const containerNameOf = (storeId: string, session: string): string => `ao-${storeId}-${session}`

/** The volume of a session in the `clone` workspace mode (volumes and containers are named apart by the engine). */
export const volumeNameOf = (storeId: string, session: string): string => `ao-${storeId}-${session}`

export interface ContainerPlan {
  readonly storeId: string
  readonly session: string
  readonly project: string
  /** The worktree: mounted read-write at the same path, and the working directory. */
  readonly workspacePath: string
  /** The repository's git directory, mounted at the same path so git works in the worktree. */
  readonly gitDir: string | undefined
  /** In the `clone` mode: the session's volume, mounted at the worktree's path instead of the worktree and gitDir. */
  readonly volume?: string
  readonly user: { readonly uid: number; readonly gid: number }
  readonly settings: ContainerSettings
  /** Where the agent's hooks report (see container-hook.ts): the session's host directory and the hook script. */
  readonly hooks?: { readonly dir: string; readonly script: string }
}

const bind = (mount: ContainerMount) => `${mount.source}:${mount.target}:${mount.readOnly ? "ro" : "rw"}`

/**
 * The container a session's agent runs in: it only sleeps, the agent is
 * started in it by `docker exec` from the session's tmux pane. It runs as
 * the user (so files in the worktree stay theirs), sees the worktree, the
 * repository's git directory and the configured mounts, nothing else of the
 * host; HOME is /tmp inside unless the project's env sets it.
 */
export const containerCreateBody = (plan: ContainerPlan): ContainerCreateBody => ({
  Image: plan.settings.image,
  Cmd: ["sleep", "infinity"],
  User: `${plan.user.uid}:${plan.user.gid}`,
  WorkingDir: plan.workspacePath,
  Env: Object.entries({
    HOME: "/tmp",
    ...plan.settings.env,
    ...(plan.hooks === undefined ? {} : { AO_CONTAINER_HOOK: CONTAINER_HOOK_PATH })
  }).map(([name, value]) => `${name}=${value}`),
  Labels: {
    [LABEL_STORE]: plan.storeId,
    [LABEL_SESSION]: plan.session,
    [LABEL_PROJECT]: plan.project,
    [LABEL_WORKSPACE]: plan.workspacePath
  },
  HostConfig: {
    Binds: [
      ...(plan.volume === undefined
        ? [
            bind({ source: plan.workspacePath, target: plan.workspacePath, readOnly: false }),
            ...(plan.gitDir === undefined ? [] : [bind({ source: plan.gitDir, target: plan.gitDir, readOnly: false })])
          ]
        : [bind({ source: plan.volume, target: plan.workspacePath, readOnly: false })]),
      ...(plan.hooks === undefined
        ? []
        : [
            bind({ source: plan.hooks.dir, target: CONTAINER_ACTIVITY_DIR, readOnly: false }),
            bind({ source: plan.hooks.script, target: CONTAINER_HOOK_PATH, readOnly: true })
          ]),
      ...plan.settings.mounts.map(bind)
    ],
    NetworkMode: plan.settings.network ?? "default",
    ...(plan.settings.cpus === undefined ? {} : { NanoCpus: Math.round(plan.settings.cpus * 1e9) }),
    ...(plan.settings.memoryBytes === undefined ? {} : { Memory: plan.settings.memoryBytes }),
    // An init reaps the agent's orphaned children, as a login session would.
    Init: true
  }
})
