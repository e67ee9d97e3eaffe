import { Cause, Data, DateTime, Duration, Effect, Exit, Option, Predicate, Ref } from "effect"
import { AgentDidNotStart, type DomainError, type IssueNotFound, SessionAlreadyExists, type TrackerUnavailable } from "../errors"
import { knownAgents } from "../agent-command"
import { AgentLauncher, type AgentCommand } from "../ports/agent-launcher"
import { Projects } from "../ports/projects"
import { Runtime } from "../ports/runtime"
import { SessionStore } from "../ports/session-store"
import { type IssueDetails, type IssueInfo, Tracker } from "../ports/tracker"
import { TaskFile } from "../ports/task-file"
import { planTask, TASK_COMMENT_LIMIT, type TaskPlan, type TaskPromptInput } from "../rules/task-prompt"
import { Workspace, type WorkspaceCreated } from "../ports/workspace"
import type { Project } from "../project"
import { agentStart, exitStatusPending, lastOutputLines } from "../rules/agent-start"
import { statusAfter } from "../rules/status-transition"
import { Session } from "../session"
import { isEnded } from "../status"
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
import { killSession } from "./kill-session"
import type { SpawnResult } from "./results"
import { runtimeIndex, runtimeIndexOf } from "./runtime-index"

export interface SpawnRequest {
  readonly projectId: string
  readonly issueId?: string
  readonly prompt?: string
  /** An agent other than the project's default, by name. */
  readonly agent?: string
  /** False: the issue's text is left out of the prompt (`--no-issue-prompt`); only `prompt` is given. */
  readonly issuePrompt?: boolean
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
  /** Why the issue could not be looked up, when it could not. */
  readonly issueUnchecked: Option.Option<string>
  /** The issue as the tracker gave it, with its text when the prompt wants it. */
  readonly issue: Option.Option<IssueInfo | IssueDetails>
}

/**
 * The issue's title for the branch slug, when the project's tracker tracks it.
 * A tracker that cannot answer does not stop the spawn: the branch goes by the
 * id alone, and the reason is passed on as a warning.
 */
const issueLookup = (project: Project, id: IssueId, withText: boolean) =>
  Effect.flatMap(Tracker, (tracker): Effect.Effect<Option.Option<IssueInfo | IssueDetails>, IssueNotFound | TrackerUnavailable> =>
    withText ? tracker.issueDetails(project, id, { comments: TASK_COMMENT_LIMIT }) : tracker.issue(project, id)
  ).pipe(
    Effect.map((issue) => ({ issue, unchecked: Option.none<string>() })),
    Effect.catchTag("TrackerUnavailable", (error) =>
      Effect.succeed({
        issue: Option.none<IssueInfo | IssueDetails>(),
        unchecked: Option.some(`${error.reason}; spawned without its title`)
      })
    )
  )

/** `{worktreeDir}/{project}-{issue, lower case, or n}` */
const workspacePathFor = (project: Project, suffix: string): string =>
  `${project.worktreeDir.replace(/\/+$/, "")}/${project.id}-${suffix}`

const issueLayout = Effect.fn("Spawn.issueLayout")(function* (project: Project, issueId: IssueId, withText: boolean) {
  const { issue, unchecked } = yield* issueLookup(project, issueId, withText)
  return {
    id: sessionNameForIssue(project.sessionPrefix, issueId),
    issueId: Option.some(issueId),
    branch: branchNameForIssue(issueId, Option.getOrUndefined(Option.map(issue, (found) => found.title))),
    workspacePath: workspacePathFor(project, issueId.toLowerCase()),
    issueUnchecked: unchecked,
    issue
  } satisfies SpawnLayout
})

/**
 * The next number nothing else holds: no record (active or ended) has the
 * name, no tmux session (ao's or anyone's) and no directory is in the way.
 * `avoid` holds the names earlier attempts found taken in ways only trying shows.
 */
const numberedLayout = Effect.fn("Spawn.numberedLayout")(function* (project: Project, avoid: ReadonlySet<string>) {
  const workspace = yield* Workspace
  const taken = new Set([
    ...(yield* Effect.flatMap(SessionStore, (store) => store.names)),
    ...(yield* runtimeIndex).names,
    ...avoid
  ])
  for (;;) {
    const id = nextNumberedSessionName(project.sessionPrefix, taken)
    const layout = {
      id,
      issueId: Option.none(),
      branch: branchNameForSession(id),
      workspacePath: workspacePathFor(project, id.slice(project.sessionPrefix.length + 1)),
      issueUnchecked: Option.none(),
      issue: Option.none()
    } satisfies SpawnLayout
    if (!(yield* workspace.occupied(layout.workspacePath))) return layout
    taken.add(id)
  }
})

const isIssueDetails = (issue: IssueInfo | IssueDetails): issue is IssueDetails => "body" in issue

/** A number whose branch already exists belongs to older work (another ao home, say): never build on it. */
class NumberTaken extends Data.TaggedError("NumberTaken")<{ readonly id: SessionName }> {}

const failureReason = (exit: Exit.Exit<unknown, unknown>): string =>
  Exit.isFailure(exit)
    ? Option.match(Cause.failureOption(exit.cause), {
        onNone: () => (Cause.isInterruptedOnly(exit.cause) ? "interrupted" : "unexpected failure"),
        onSome: (error) =>
          Predicate.hasProperty(error, "message") && Predicate.isString(error.message) ? error.message : String(error)
      })
    : "succeeded"

const EXIT_STATUS_POLL = Duration.millis(100)
const EXIT_STATUS_POLLS = 30

/**
 * An agent whose pane is dead a moment after it started never ran: its
 * program is missing, or it exited at once. Waits the project's start check,
 * then fails with what the pane showed, so the spawn rolls back.
 */
const checkAgentStarted = Effect.fn("Spawn.checkAgentStarted")(function* (
  project: Project,
  id: SessionName,
  command: AgentCommand
) {
  const runtime = yield* Runtime
  if (project.startupCheckSeconds > 0) yield* Effect.sleep(Duration.seconds(project.startupCheckSeconds))
  const look = Effect.map(runtime.list, (infos) => agentStart(infos.find((info) => info.name === id)))
  // tmux can show the pane dead before it has reaped the agent and knows its exit status (CI saw it
  // take longer than a second): look again, for up to 3 s.
  let start = yield* look
  for (let polls = 0; polls < EXIT_STATUS_POLLS && exitStatusPending(start); polls++) {
    yield* Effect.sleep(EXIT_STATUS_POLL)
    start = yield* look
  }
  if (start._tag === "Running") return
  const screen = yield* runtime.capture(id, 100).pipe(Effect.catchTag("SessionNotRunning", () => Effect.succeed("")))
  return yield* new AgentDidNotStart({
    id,
    program: command.argv[0] ?? "",
    // The configured launch, without the prompt (which may be long and span lines).
    launch: knownAgents(project).find((agent) => agent.name === command.agent)?.launch ?? command.argv,
    ...(start._tag === "Exited" && start.exitStatus !== undefined ? { exitStatus: start.exitStatus } : {}),
    vanished: start._tag === "Vanished",
    output: lastOutputLines(screen),
    checkedAfterSeconds: project.startupCheckSeconds
  })
})

/**
 * Reserve the name, create the worktree, start the agent: each step registers
 * its undo, so a failure or an interrupt at any point rolls back what exists,
 * in reverse, and leaves no record, worktree, new branch or tmux session behind.
 */
const startSession = Effect.fn("Spawn.start")(function* (
  project: Project,
  layout: SpawnLayout,
  command: AgentCommand,
  task: TaskPlan
) {
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
    snapshotRef: Option.none(),
    task: task.source
  })
  const superseded = yield* Effect.acquireRelease(
    store.create(reserved, { supersedeEnded: Option.isSome(layout.issueId) }),
    undo("record", store.remove(id))
  )
  if (Option.isSome(superseded)) {
    yield* recordEvent({
      sessionId: id,
      projectId: project.id,
      kind: "superseded",
      reason: "ao spawn of the same issue",
      from: superseded.value.session.status,
      details: { keptAt: superseded.value.keptAt, createdAt: DateTime.formatIso(superseded.value.session.createdAt) }
    })
  }
  const created = yield* Effect.acquireRelease(
    workspace.create({
      repoPath: project.path,
      path: layout.workspacePath,
      branch: layout.branch,
      baseBranch: project.defaultBranch
    }),
    undoWorktree
  )
  if (Option.isNone(layout.issueId) && !created.branchCreated) return yield* new NumberTaken({ id })
  yield* recordEvent({
    sessionId: id,
    projectId: project.id,
    kind: "worktree-created",
    reason: "ao spawn",
    details: { path: layout.workspacePath, branch: layout.branch }
  })
  yield* installAgentHooks(command.agent, layout.workspacePath)
  const delivery = Option.getOrUndefined(task.delivery)
  if (delivery?._tag === "File") {
    // In the worktree, which the rollback removes whole: no undo step of its own.
    yield* Effect.flatMap(TaskFile, (files) =>
      files.write({ workspacePath: layout.workspacePath, file: delivery.file, text: delivery.text })
    )
  }
  const runtimeServer = yield* Effect.acquireRelease(
    runtime.create({ name: id, cwd: layout.workspacePath, argv: command.argv, env: agentEnvironment(reserved) }).pipe(
      // The record was ours to take, so whatever holds the tmux name is not an ao session.
      Effect.catchTag("SessionAlreadyExists", () => new SessionAlreadyExists({ id, heldBy: "tmux" }))
    ),
    undo("runtime", runtime.kill(id))
  )
  yield* recordEvent({
    sessionId: id,
    projectId: project.id,
    kind: "runtime-started",
    reason: "ao spawn",
    details: { runtime: id, command: command.argv.join(" ") }
  })
  yield* checkAgentStarted(project, id, command)
  const change = statusAfter({ _tag: "SpawnStarted" })
  const started = yield* store.update(id, (current) =>
    Effect.succeed(new Session({ ...current, ...change, ...(runtimeServer === undefined ? {} : { runtimeServer }) }))
  )
  yield* recordEvent({
    sessionId: id,
    projectId: project.id,
    kind: "spawned",
    reason: change.statusReason,
    from: reserved.status,
    to: change.status
  })
  const warnings = Option.match(layout.issueUnchecked, {
    onNone: () => [],
    onSome: (reason) => [{ about: "issue" as const, projectId: project.id, sessions: [started.id], reason }]
  })
  return { session: started, superseded, branchExisted: !created.branchCreated, warnings } satisfies SpawnResult
})

/**
 * A live record of the issue's name whose worktree is gone and whose agent
 * no longer runs holds nothing that could be lost (the WorkspaceMissing hint
 * sends the user here): it is killed, so the spawn below supersedes it.
 */
const killAbandoned = Effect.fn("Spawn.killAbandoned")(function* (id: SessionName) {
  const store = yield* SessionStore
  const stored = yield* Effect.option(store.inspect(id))
  if (Option.isNone(stored) || stored.value._tag === "Broken") return
  const session = stored.value.session
  if (isEnded(session.status) || session.status === "spawning") return
  if (yield* Effect.flatMap(Workspace, (workspace) => workspace.exists(session.workspacePath))) return
  const agent = (yield* runtimeIndexOf([session])).presence(session.runtimeHandle, session.runtimeServer)
  // An agent that may be running on a server that cannot be asked is not abandoned.
  if (agent._tag === "Unknown" || (agent._tag === "Running" && !agent.info.paneDead)) return
  // The name was built from a valid prefix and issue id: killSession's own check cannot fail.
  yield* Effect.catchTag(killSession(id), "InvalidSessionName", (error) => Effect.die(error))
})

/**
 * `ao spawn`: a session named after its issue (`ao-int-1234`) or numbered
 * (`ao-s7`), on its own branch and worktree, with the agent started in tmux.
 * With the tracker unreachable it still spawns, and returns the reason as a warning.
 * Two spawns of one issue race for the name; one fails with SessionAlreadyExists.
 * Spawning an issue whose session was killed or done starts it afresh: the
 * ended record is superseded (kept aside, see SessionStore.create) and the
 * worktree goes on the issue's branch, which keeps its commits if it exists.
 */
export const spawnSession = Effect.fn("Session.spawn")(function* (request: SpawnRequest) {
  const project = yield* Effect.flatMap(Projects, (projects) => projects.get(request.projectId))
  const issueId = request.issueId === undefined ? Option.none() : Option.some(yield* parseIssueId(request.issueId))
  const launcher = yield* AgentLauncher
  const agent = Option.fromNullable(request.agent)
  // An unknown agent or an untrusted config fails before the tracker is asked.
  yield* launcher.launch({ project, agent, prompt: Option.none() })
  const issuePrompt = request.issuePrompt ?? true
  const store = yield* SessionStore
  const start = (layout: SpawnLayout) =>
    Effect.gen(function* () {
      const task = planTask({
        issue: Option.map(
          Option.filter(layout.issueId, () => issuePrompt),
          (id): TaskPromptInput => ({
            issueId: id,
            issue: Option.filter(layout.issue, isIssueDetails),
            branch: layout.branch,
            baseBranch: project.defaultBranch,
            session: layout.id,
            project: project.id,
            template: project.taskTemplate
          })
        ),
        extra: Option.fromNullable(request.prompt)
      })
      const prompt = Option.map(task.delivery, (delivery) => (delivery._tag === "File" ? delivery.argument : delivery.text))
      const command = yield* launcher.launch({ project, agent, prompt })
      return yield* store.withLock(layout.id, Effect.scoped(startSession(project, layout, command, task)))
    })
  const spawned = Option.isSome(issueId)
    ? Effect.flatMap(issueLayout(project, issueId.value, issuePrompt), (layout) =>
        store.withLock(layout.id, Effect.zipRight(killAbandoned(layout.id), start(layout)))
      )
    : Effect.suspend(() => {
        // A number taken by a concurrent spawn, a stranger's tmux session or an old branch: move on to the next.
        const avoid = new Set<string>()
        return Effect.retry(
          Effect.flatMap(
            Effect.suspend(() => numberedLayout(project, avoid)),
            start
          ),
          {
            times: NUMBERED_NAME_ATTEMPTS - 1,
            while: (error) => {
              if (error._tag !== "NumberTaken" && error._tag !== "SessionAlreadyExists") return false
              avoid.add(error.id)
              return true
            }
          }
        )
      })
  return yield* Effect.catchTag(spawned, "NumberTaken", (error) => new SessionAlreadyExists({ id: error.id }))
})
