import { DateTime, Effect, Option } from "effect"
import type { SessionEventKind } from "../events"
import { Projects } from "../ports/projects"
import { Runtime } from "../ports/runtime"
import type { BrokenSessionRecord } from "../ports/session-store"
import type { RuntimeServer } from "../runtime-server"
import { SessionStore } from "../ports/session-store"
import { Workspace, type WorkspaceTarget } from "../ports/workspace"
import type { Project } from "../project"
import type { StatusChange } from "../rules/status-transition"
import { type PullRequest, Session } from "../session"
import { recordEvent } from "./record-event"
import { runtimeIndex } from "./runtime-index"

/** What a teardown needs to know; a broken record supplies it from its salvage. */
export interface TeardownTarget {
  readonly id: string
  readonly projectId: Option.Option<string>
  readonly runtimeHandle: string
  /** The server the runtime was started on; the default server when none was recorded. */
  readonly runtimeServer?: RuntimeServer
  /** None when nothing says where the worktree is. */
  readonly workspacePath: Option.Option<string>
  /** The session's branch: a HEAD elsewhere is kept by a snapshot. */
  readonly branch?: string
  /** Why, for the audit log ("killed by ao session kill", "cleanup: PR merged"). */
  readonly reason: string
  /** Remove even what would not be saved (`ao session kill --force`); never for cleanup or doctor. */
  readonly force?: boolean
}

export interface TeardownResult {
  readonly runtimeKilled: boolean
  readonly worktreeRemoved: boolean
  readonly snapshotRef: Option.Option<string>
  readonly head: Option.Option<string>
  /** What was removed without being saved (only with `force`). */
  readonly notSaved: ReadonlyArray<string>
}

/** The project, when it is still configured. */
const projectOf = (projectId: Option.Option<string>) =>
  Effect.flatMap(Projects, (projects) =>
    Option.match(projectId, {
      onNone: () => Effect.succeedNone,
      onSome: (id) =>
        projects.get(id).pipe(
          Effect.map(Option.some<Project>),
          // The workspace adapter finds the repository from the worktree's .git file instead.
          Effect.catchTag("UnknownProject", () => Effect.succeedNone)
        )
    })
  )

/** What the workspace is asked to remove: the project says which repository and where ao makes worktrees. */
const workspaceTargetOf = Effect.fn("Session.workspaceTarget")(function* (target: TeardownTarget, path: string) {
  const project = yield* projectOf(target.projectId)
  return {
    path,
    sessionId: target.id,
    ...Option.match(project, { onNone: () => ({}), onSome: (found) => ({ repoPath: found.path, worktreeDir: found.worktreeDir }) }),
    ...(target.branch === undefined ? {} : { branch: target.branch }),
    ...(target.force === true ? { force: true } : {})
  } satisfies WorkspaceTarget
})

/**
 * Checks before anything is touched that the teardown may remove the
 * worktree: ao made it, it is where the record says, and everything in it
 * can be saved (or `force`). Fails naming why not, with the agent still running.
 */
export const vetTeardown = Effect.fn("Session.vetTeardown")(function* (target: TeardownTarget) {
  if (Option.isNone(target.workspacePath)) return []
  const workspace = yield* Workspace
  return yield* workspace.vetRemoval(yield* workspaceTargetOf(target, target.workspacePath.value))
})

/**
 * Kill and cleanup share this one teardown: vet the worktree, kill the
 * runtime, then remove the worktree, which snapshots everything in it first
 * and refuses (SnapshotFailed) when it cannot. Every step is idempotent, so a
 * run after an interrupted one finishes the job, and every destructive step
 * is audited.
 */
export const teardown = Effect.fn("Session.teardown")(function* (target: TeardownTarget) {
  const runtime = yield* Runtime
  const workspace = yield* Workspace
  const projectId = Option.getOrNull(target.projectId)
  yield* vetTeardown(target)
  // A server that cannot be asked fails this, before anything is removed: the agent may be running there.
  const runtimeKilled = yield* runtime.kill(target.runtimeHandle, target.runtimeServer)
  if (runtimeKilled) {
    yield* recordEvent({
      sessionId: target.id,
      projectId,
      kind: "runtime-killed",
      reason: target.reason,
      details: { runtime: target.runtimeHandle }
    })
  }
  if (Option.isNone(target.workspacePath)) {
    return { runtimeKilled, worktreeRemoved: false, snapshotRef: Option.none(), head: Option.none(), notSaved: [] } satisfies TeardownResult
  }
  const path = target.workspacePath.value
  const removal = yield* workspace.remove(yield* workspaceTargetOf(target, path))
  if (Option.isSome(removal.snapshotRef)) {
    yield* recordEvent({
      sessionId: target.id,
      projectId,
      kind: "snapshot-taken",
      reason: target.reason,
      details: { path, ref: removal.snapshotRef.value }
    })
  }
  if (removal.existed) {
    yield* recordEvent({
      sessionId: target.id,
      projectId,
      kind: "worktree-removed",
      reason: target.reason,
      details: {
        path,
        ...Option.match(removal.head, { onNone: () => ({}), onSome: (head) => ({ head }) }),
        ...(removal.notSaved.length === 0 ? {} : { notSaved: removal.notSaved.join("; ") })
      }
    })
  }
  return {
    runtimeKilled,
    worktreeRemoved: removal.existed,
    snapshotRef: removal.snapshotRef,
    head: removal.head,
    notSaved: removal.notSaved
  } satisfies TeardownResult
})

export const sessionTarget = (session: Session, reason: string, force = false): TeardownTarget => ({
  id: session.id,
  projectId: Option.some(session.projectId),
  runtimeHandle: session.runtimeHandle,
  ...(session.runtimeServer === undefined ? {} : { runtimeServer: session.runtimeServer }),
  workspacePath: Option.some(session.workspacePath),
  branch: session.branch,
  reason,
  force
})

/** Tears down what a broken record's salvage points at, then moves the record aside. */
export const teardownBroken = Effect.fn("Session.teardownBroken")(function* (
  record: BrokenSessionRecord,
  reason: string,
  force = false
) {
  const store = yield* SessionStore
  const runtimeHandle = record.salvage.runtimeHandle ?? record.id
  const workspacePath =
    record.salvage.workspacePath !== undefined
      ? Option.some(record.salvage.workspacePath)
      : // The runtime's working directory is the worktree.
        Option.map((yield* runtimeIndex).find(runtimeHandle), (info) => info.path)
  const projectId = Option.fromNullable(record.salvage.projectId)
  const result = yield* teardown({ id: record.id, projectId, runtimeHandle, workspacePath, reason, force })
  yield* store.discardBroken(record.id)
  yield* recordEvent({
    sessionId: record.id,
    projectId: Option.getOrNull(projectId),
    kind: "record-discarded",
    reason,
    details: { path: record.path, problem: record.problem }
  })
  return result
})

/**
 * Records the end of a torn-down session, keeping the newest snapshot ref and
 * the PR last seen on the code host (so `ls --all` still links it).
 */
export const markTornDown = Effect.fn("Session.markTornDown")(function* (
  session: Session,
  change: StatusChange,
  torn: TeardownResult,
  kind: SessionEventKind,
  details: Record<string, string> = {},
  pr: Option.Option<PullRequest> = Option.none()
) {
  const store = yield* SessionStore
  const now = yield* DateTime.now
  const ended = yield* store.update(session.id, (current) =>
    Effect.succeed(
      new Session({
        ...current,
        ...change,
        lastActivityAt: DateTime.max(current.lastActivityAt, now),
        snapshotRef: Option.orElse(torn.snapshotRef, () => current.snapshotRef),
        pr: Option.orElse(pr, () => current.pr)
      })
    )
  )
  yield* recordEvent({
    sessionId: session.id,
    projectId: session.projectId,
    kind,
    reason: change.statusReason,
    from: session.status,
    to: change.status,
    details: { ...details, ...Option.match(torn.snapshotRef, { onNone: () => ({}), onSome: (ref) => ({ snapshotRef: ref }) }) }
  })
  return ended
})
