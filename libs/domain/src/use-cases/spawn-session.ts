import { Cause, DateTime, Effect, Exit, Option, Predicate, Ref } from "effect"
import type { DomainError } from "../errors"
import { AgentLauncher, type AgentCommand } from "../ports/agent-launcher"
import { Projects } from "../ports/projects"
import { Runtime } from "../ports/runtime"
import { SessionStore } from "../ports/session-store"
import { Tracker } from "../ports/tracker"
import { Workspace, type WorkspaceCreated } from "../ports/workspace"
import type { Project } from "../project"
import { statusAfter } from "../rules/status-transition"
import { Session } from "../session"
import {
  branchNameForIssue,
  branchNameForSession,
  type IssueId,
  nextNumberedSessionName,
  parseIssueId,
  type SessionName,
  sessionNameForIssue
} from "../session-name"
import { recordEvent } from "./record-event"
import { agentEnvironment, installAgentHooks } from "./agent-environment"
import { hostedRepo } from "./project-scope"

export interface SpawnRequest {
  readonly projectId: string
  readonly issueId?: string
  readonly prompt?: string
  /** An agent other than the project's default, by name. */
  readonly agent?: string
}

/**
 * Spawns racing for the next number each retry with a fresh look at the names,
 * and each round only one of them wins: N spawns at once need up to N attempts.
 */
const NUMBERED_NAME_ATTEMPTS = 64

interface SpawnLayout {
  readonly id: SessionName
  readonly issueId: Option.Option<IssueId>
  readonly branch: string
  readonly workspacePath: string
}

/** The issue's title for the branch slug, when the project's tracker can say. */
const issueTitle = (project: Project, issueId: Option.Option<IssueId>) =>
  Option.match(issueId, {
    onNone: () => Effect.succeedNone,
    onSome: (id) =>
      Option.isSome(hostedRepo(project))
        ? Effect.flatMap(Tracker, (tracker) => Effect.map(tracker.issue(project, id), (issue) => Option.some(issue.title)))
        : Effect.succeedNone
  })

/** `{worktreeDir}/{project}-{issue, lower case, or n}` */
const workspacePathFor = (project: Project, suffix: string): string =>
  `${project.worktreeDir.replace(/\/+$/, "")}/${project.id}-${suffix}`

const layoutFor = Effect.fn("Spawn.layout")(function* (project: Project, issueId: Option.Option<IssueId>) {
  if (Option.isSome(issueId)) {
    const title = yield* issueTitle(project, issueId)
    return {
      id: sessionNameForIssue(project.sessionPrefix, issueId.value),
      issueId,
      branch: branchNameForIssue(issueId.value, Option.getOrUndefined(title)),
      workspacePath: workspacePathFor(project, issueId.value.toLowerCase())
    } satisfies SpawnLayout
  }
  const id = nextNumberedSessionName(project.sessionPrefix, yield* Effect.flatMap(SessionStore, (store) => store.names))
  return {
    id,
    issueId,
    branch: branchNameForSession(id),
    workspacePath: workspacePathFor(project, id.slice(project.sessionPrefix.length + 1))
  } satisfies SpawnLayout
})

const failureReason = (exit: Exit.Exit<unknown, unknown>): string =>
  Exit.isFailure(exit)
    ? Option.match(Cause.failureOption(exit.cause), {
        onNone: () => (Cause.isInterruptedOnly(exit.cause) ? "interrupted" : "unexpected failure"),
        onSome: (error) =>
          Predicate.hasProperty(error, "message") && Predicate.isString(error.message) ? error.message : String(error)
      })
    : "succeeded"

/**
 * Reserve the name, create the worktree, start the agent: each step registers
 * its undo, so a failure or an interrupt at any point rolls back what exists,
 * in reverse, and leaves no record, worktree, new branch or tmux session behind.
 */
const startSession = Effect.fn("Spawn.start")(function* (project: Project, layout: SpawnLayout, command: AgentCommand) {
  const store = yield* SessionStore
  const workspace = yield* Workspace
  const runtime = yield* Runtime
  const { id } = layout
  const undone = yield* Ref.make<ReadonlyArray<string>>([])
  // Registered first, so it runs last: one audit line for the whole rollback.
  yield* Effect.addFinalizer((exit) =>
    Effect.flatMap(Ref.get(undone), (steps) =>
      Exit.isSuccess(exit) || steps.length === 0
        ? Effect.void
        : recordEvent({
            sessionId: id,
            projectId: project.id,
            kind: "spawn-rolled-back",
            reason: failureReason(exit),
            details: { undone: steps.join(", ") }
          }).pipe(Effect.catchTag("EventLogFailed", (error) => Effect.logError("spawn rollback not audited", error)))
    )
  )
  /** Runs one undo step and notes how it went for the audit line; true when it succeeded. */
  const undoStep = <A>(step: string, effect: Effect.Effect<A, DomainError>, outcome: (result: A) => string = () => step) =>
    Effect.matchEffect(effect, {
      onSuccess: (result) => Effect.as(Ref.update(undone, (steps) => [...steps, outcome(result)]), true),
      // The rollback goes on with the other steps; the audit line says what is left behind.
      onFailure: (error) => Effect.as(Ref.update(undone, (steps) => [...steps, `${step} FAILED (${error.message})`]), false)
    })
  const undo =
    (step: string, effect: Effect.Effect<unknown, DomainError>) =>
    (_: unknown, exit: Exit.Exit<unknown, unknown>) =>
      Exit.isSuccess(exit) ? Effect.void : undoStep(step, effect)
  /** The worktree goes first, then the branch if spawn made it; a branch with new commits is kept. */
  const undoWorktree = (created: WorkspaceCreated, exit: Exit.Exit<unknown, unknown>) =>
    Exit.isSuccess(exit)
      ? Effect.void
      : Effect.flatMap(
          undoStep("worktree", workspace.remove({ path: layout.workspacePath, sessionId: id, repoPath: project.path })),
          (removed) =>
            removed && created.branchCreated
              ? undoStep(
                  "branch",
                  workspace.deleteBranch({ repoPath: project.path, branch: layout.branch, expectedHead: created.head }),
                  (deleted) => (deleted ? "branch" : "branch KEPT (it moved since spawn made it)")
                )
              : Effect.void
        )

  const now = yield* DateTime.now
  const reserved = new Session({
    id,
    projectId: project.id,
    issueId: layout.issueId,
    branch: layout.branch,
    workspacePath: layout.workspacePath,
    runtimeHandle: id,
    agent: command.agent,
    ...statusAfter({ _tag: "SpawnReserved" }),
    pr: Option.none(),
    createdAt: now,
    lastActivityAt: now,
    restoredAt: Option.none(),
    snapshotRef: Option.none()
  })
  yield* Effect.acquireRelease(store.create(reserved), undo("record", store.remove(id)))
  yield* Effect.acquireRelease(
    workspace.create({
      repoPath: project.path,
      path: layout.workspacePath,
      branch: layout.branch,
      baseBranch: project.defaultBranch
    }),
    undoWorktree
  )
  yield* recordEvent({
    sessionId: id,
    projectId: project.id,
    kind: "worktree-created",
    reason: "ao spawn",
    details: { path: layout.workspacePath, branch: layout.branch }
  })
  yield* installAgentHooks(command.agent, layout.workspacePath)
  yield* Effect.acquireRelease(
    runtime.create({ name: id, cwd: layout.workspacePath, argv: command.argv, env: agentEnvironment(reserved) }),
    undo("runtime", runtime.kill(id))
  )
  yield* recordEvent({
    sessionId: id,
    projectId: project.id,
    kind: "runtime-started",
    reason: "ao spawn",
    details: { runtime: id, command: command.argv.join(" ") }
  })
  const change = statusAfter({ _tag: "SpawnStarted" })
  const started = yield* store.update(id, (current) => Effect.succeed(new Session({ ...current, ...change })))
  yield* recordEvent({
    sessionId: id,
    projectId: project.id,
    kind: "spawned",
    reason: change.statusReason,
    from: reserved.status,
    to: change.status
  })
  return started
})

/**
 * `ao spawn`: a session named after its issue (`ao-int-1234`) or numbered
 * (`ao-7`), on its own branch and worktree, with the agent started in tmux.
 * Two spawns of one issue race for the name; one fails with SessionAlreadyExists.
 */
export const spawnSession = Effect.fn("Session.spawn")(function* (request: SpawnRequest) {
  const project = yield* Effect.flatMap(Projects, (projects) => projects.get(request.projectId))
  const issueId = request.issueId === undefined ? Option.none() : Option.some(yield* parseIssueId(request.issueId))
  const command = yield* Effect.flatMap(AgentLauncher, (launcher) =>
    launcher.launch({ project, agent: Option.fromNullable(request.agent), prompt: Option.fromNullable(request.prompt) })
  )
  const store = yield* SessionStore
  const attempt = Effect.flatMap(layoutFor(project, issueId), (layout) =>
    store.withLock(layout.id, Effect.scoped(startSession(project, layout, command)))
  )
  // An issue names exactly one session; a number taken by a concurrent spawn just moves on to the next.
  // A name held by something else (a stranger's tmux session) would be picked again: no point retrying.
  const takenByConcurrentSpawn = (error: DomainError) =>
    error._tag === "SessionAlreadyExists" ? Effect.map(store.names, (names) => names.includes(error.id)) : Effect.succeed(false)
  return yield* Option.isSome(issueId)
    ? attempt
    : Effect.retry(attempt, { times: NUMBERED_NAME_ATTEMPTS - 1, while: takenByConcurrentSpawn })
})
