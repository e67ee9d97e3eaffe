import { DateTime, Effect, Either, Option } from "effect"
import { AgentLauncher } from "../ports/agent-launcher"
import { Projects } from "../ports/projects"
import { Runtime } from "../ports/runtime"
import { RuntimeFailed, WorkspaceFailed } from "../errors"
import { SessionStore } from "../ports/session-store"
import { snapshotRefAt, Workspace } from "../ports/workspace"
import { restoreValidation } from "../rules/restore-validation"
import { statusAfter } from "../rules/status-transition"
import type { Project } from "../project"
import { Session } from "../session"
import { parseSessionName } from "../session-name"
import { isEnded } from "../status"
import { agentEnvironment, installAgentHooks } from "./agent-environment"
import { branchDisplay, readableSessions } from "./list-sessions"
import { projectsInScope } from "./project-scope"
import { recordEvent } from "./record-event"
import type { LookupSubject, LookupWarning, RestoreAllReport, RestoreResult } from "./results"
import { issueLookups, lookupWarnings, pullRequestLookups, uncheckedBy } from "./tracker-lookups"
import { runtimeIndexOf, runtimeUnknownText } from "./runtime-index"

const unknownRuntimeError = (id: string, reason: string) =>
  new RuntimeFailed({
    operation: "restore session",
    target: id,
    detail: `${runtimeUnknownText(reason)}; nothing was changed. Check that tmux server; if it is gone for good, remove its socket file and run this again`
  })

const unknownRuntime = (id: string, reason: string) => Effect.fail(unknownRuntimeError(id, reason))

/**
 * What would make cleanup end the session again: its issue still closed, its
 * PR merged. A lookup that could not answer is a warning of its own.
 */
const cleanupAgainWarnings = Effect.fn("Session.cleanupAgainWarnings")(function* (project: Project, session: Session) {
  const issue = (yield* issueLookups([project], [session])).get(session.id)
  const pr = (yield* pullRequestLookups([project], [session], "fresh")).get(session.id)
  const still = (about: LookupSubject, reason: string): LookupWarning => ({
    about,
    projectId: session.projectId,
    sessions: [session.id],
    reason,
    kind: "cleanup-again"
  })
  return [
    ...(issue?._tag === "Found" && issue.value.state === "closed" ? [still("issue", `issue ${issue.value.id} is still closed`)] : []),
    ...(pr?._tag === "Found" && pr.value.state === "merged" ? [still("pr", `PR #${pr.value.number} is merged`)] : []),
    ...lookupWarnings([{ session, unchecked: [...uncheckedBy("issue", issue), ...uncheckedBy("pr", pr)] }])
  ]
})

/**
 * `ao session restore` (spec "What Happens During Restore"): validate, check
 * (or rebuild) the worktree, replace a lingering dead tmux session, start the
 * agent's resume command in the worktree, and record the session as working.
 */
export const restoreSession = Effect.fn("Session.restore")(function* (
  input: string,
  options: { readonly recreate: boolean }
) {
  const id = yield* parseSessionName(input)
  const store = yield* SessionStore
  const runtime = yield* Runtime
  const workspace = yield* Workspace
  return yield* store.withLock(
    id,
    Effect.gen(function* () {
      const session = yield* store.get(id)
      const project = yield* Effect.flatMap(Projects, (projects) => projects.get(session.projectId))
      // A half-removed worktree is no place for an agent: the files its removal already took would be missing.
      const interrupted = yield* workspace.interruptedRemovals(project.path)
      if (interrupted.some((removal) => removal.path.replace(/\/+$/, "") === session.workspacePath.replace(/\/+$/, ""))) {
        return yield* new WorkspaceFailed({
          operation: "restore",
          path: session.workspacePath,
          detail: `removing its worktree was interrupted after its work was saved; finish it with ao session kill ${id} (or ao doctor --fix), then run ao session restore ${id} --recreate`
        })
      }
      const presence = (yield* runtimeIndexOf([session])).presence(session.runtimeHandle, session.runtimeServer)
      // Its agent may be running on a server that cannot be asked: starting another would run two.
      if (presence._tag === "Unknown") return yield* unknownRuntime(id, presence.reason)
      const plan = yield* restoreValidation({
        session,
        runtime: presence._tag === "Running" ? Option.some(presence.info) : Option.none(),
        workspaceExists: yield* workspace.exists(session.workspacePath),
        recreate: options.recreate
      })
      // Before any step: a config the user has not trusted refuses here, with nothing changed.
      const command = plan.adoptRunningRuntime
        ? undefined
        : yield* Effect.flatMap(AgentLauncher, (launcher) => launcher.resume({ project, agent: session.agent }))
      const reason = "restored by ao session restore"
      if (plan.killLingeringRuntime) {
        yield* runtime.kill(session.runtimeHandle, session.runtimeServer)
        yield* recordEvent({
          sessionId: id,
          projectId: session.projectId,
          kind: "runtime-killed",
          reason: "restore: the agent had exited",
          details: { runtime: session.runtimeHandle }
        })
      }
      let snapshotApplied = false
      if (plan.recreateWorkspace) {
        // The record names the snapshot its own removal took; older records may only have the ref in git.
        // Refs sort by time, and one older than this record belongs to an earlier session of the name.
        const snapshotRef = Option.isSome(session.snapshotRef)
          ? session.snapshotRef
          : Option.filter(
              yield* workspace.latestSnapshot({ repoPath: project.path, sessionId: id }),
              (ref) => ref >= snapshotRefAt(id, DateTime.toEpochMillis(session.createdAt))
            )
        const recreated = yield* workspace.recreate({
          repoPath: project.path,
          path: session.workspacePath,
          branch: session.branch,
          baseBranch: project.defaultBranch,
          snapshotRef
        })
        snapshotApplied = recreated.snapshotApplied
        yield* recordEvent({
          sessionId: id,
          projectId: session.projectId,
          kind: "worktree-recreated",
          reason,
          details: {
            path: session.workspacePath,
            branch: session.branch,
            ...Option.match(snapshotRef, { onNone: () => ({}), onSome: (ref) => ({ snapshotRef: ref }) })
          }
        })
      }
      const branch = branchDisplay(yield* workspace.currentBranch(session.workspacePath), session.branch)
      let runtimeServer = session.runtimeServer
      if (command !== undefined) {
        yield* installAgentHooks(session.agent, session.workspacePath)
        runtimeServer = yield* runtime.create({
          name: session.runtimeHandle,
          cwd: session.workspacePath,
          argv: command.argv,
          env: agentEnvironment(session),
          ...(session.runtimeServer === undefined ? {} : { server: session.runtimeServer })
        })
        yield* recordEvent({
          sessionId: id,
          projectId: session.projectId,
          kind: "runtime-started",
          reason,
          details: { runtime: session.runtimeHandle, command: command.argv.join(" ") }
        })
      }
      const now = yield* DateTime.now
      const change = statusAfter({ _tag: "Restore" })
      const restored = yield* store.update(id, (current) =>
        Effect.succeed(
          new Session({
            ...current,
            ...change,
            ...(runtimeServer === undefined ? {} : { runtimeServer }),
            restoredAt: Option.some(now),
            lastActivityAt: now
          })
        )
      )
      yield* recordEvent({
        sessionId: id,
        projectId: session.projectId,
        kind: "restored",
        reason: change.statusReason,
        from: session.status,
        to: change.status
      })
      return {
        session: restored,
        branch,
        worktreeRecreated: plan.recreateWorkspace,
        snapshotApplied,
        attachCommand: runtime.attachCommand(session.runtimeHandle, runtimeServer),
        // Cleanup marked it done: if what made it done still holds, the next cleanup does it again.
        warnings: session.status === "done" ? yield* cleanupAgainWarnings(project, restored) : []
      } satisfies RestoreResult
    })
  )
})

/**
 * After a reboot: restore every session that should be running but whose
 * runtime is gone, each on its own so one failure never stops the others.
 * `recreate` rebuilds the worktrees that are gone too, as for one session.
 */
export const restoreAll = Effect.fn("Session.restoreAll")(function* (query: {
  readonly projectId?: string
  readonly recreate?: boolean
}) {
  yield* projectsInScope(query.projectId)
  const store = yield* SessionStore
  const stored = yield* store.list({
    ...(query.projectId === undefined ? {} : { projectId: query.projectId }),
    includeEnded: false
  })
  const live = readableSessions(stored).filter((session) => !isEnded(session.status) && session.status !== "spawning")
  const runtime = yield* runtimeIndexOf(live)
  const restored: Array<RestoreResult> = []
  const failed: Array<RestoreAllReport["failed"][number]> = []
  const lost = live.filter((session) => {
    const presence = runtime.presence(session.runtimeHandle, session.runtimeServer)
    if (presence._tag === "Unknown") {
      failed.push({ id: session.id, error: unknownRuntimeError(session.id, presence.reason) })
    }
    return presence._tag === "Absent"
  })
  for (const session of lost) {
    const outcome = yield* Effect.either(restoreSession(session.id, { recreate: query.recreate === true }))
    if (Either.isLeft(outcome)) failed.push({ id: session.id, error: outcome.left })
    else restored.push(outcome.right)
  }
  return { restored, failed } satisfies RestoreAllReport
})
