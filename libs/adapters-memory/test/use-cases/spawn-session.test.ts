import {
  type AgentDidNotStart,
  applyCleanup,
  hintOf,
  EventLog,
  EventLogFailed,
  killSession,
  planCleanup,
  restoreSession,
  Runtime,
  SessionStore,
  PROMPT_ARGUMENT_LIMIT,
  spawnSession,
  TASK_FILE,
  TaskFile,
  Workspace
} from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Fiber, Option, TestClock } from "effect"
import { MemoryRuntimeControl } from "../../src/runtime"
import { memoryProject } from "../../src/world"
import { MemoryTrackerControl } from "../../src/tracker"
import { MemoryWorkspaceControl } from "../../src/workspace"
import { eventKinds, inWorld, spawnForIssue } from "./world-fixture"

/** Nothing of the session is left: no record, no worktree, no tmux session. */
const expectNothingLeft = (id: string, path: string) =>
  Effect.gen(function* () {
    expect(yield* Effect.flatMap(SessionStore, (store) => store.names)).not.toContain(id)
    expect(yield* Effect.flatMap(Workspace, (workspace) => workspace.exists(path))).toBe(false)
    expect(yield* Effect.flatMap(Runtime, (runtime) => runtime.exists(id))).toBe(false)
  })

const REPO = "/repos/agent-orchestrator"

const branches = Effect.flatMap(MemoryWorkspaceControl, (workspace) => workspace.branches(REPO))

/** The event log, failing to record events of one kind the way a full disk would. */
const failingOn = (kind: string) =>
  Effect.map(EventLog, (log) =>
    EventLog.of({
      ...log,
      append: (event) =>
        event.kind === kind ? Effect.fail(new EventLogFailed({ path: "/events.jsonl", detail: "disk full" })) : log.append(event)
    })
  )

const rollbackEvent = (sessionId: string) =>
  Effect.map(
    Effect.flatMap(EventLog, (events) => events.read({})),
    (page) => page.events.find((event) => event.sessionId === sessionId && event.kind === "spawn-rolled-back")
  )

describe("spawnSession", () => {
  it.effect("names the session after the issue and starts the agent in its own worktree and branch", () =>
    Effect.gen(function* () {
      const tracker = yield* MemoryTrackerControl
      yield* tracker.setIssue({ id: "INT-1234", title: "Fix errors" })
      const { session, warnings } = yield* spawnSession({ projectId: "agent-orchestrator", issueId: "INT-1234", prompt: "go" })
      expect(warnings).toEqual([])
      expect(session).toMatchObject({
        id: "ao-int-1234",
        branch: "int-1234-fix-errors",
        workspacePath: "/worktrees/agent-orchestrator-int-1234",
        runtimeHandle: "ao-int-1234",
        agent: "claude",
        status: "working",
        statusReason: "spawned"
      })
      const launches = yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.launches)
      expect(launches).toEqual([
        {
          name: "ao-int-1234",
          cwd: "/worktrees/agent-orchestrator-int-1234",
          argv: ["claude", expect.stringMatching(/^Your task is issue INT-1234: Fix errors\n[^]*\n\ngo$/)],
          env: { AO_SESSION: "ao-int-1234", AO_PROJECT_ID: "agent-orchestrator" }
        }
      ])
      const worktrees = yield* Effect.flatMap(MemoryWorkspaceControl, (workspace) => workspace.worktrees)
      expect(worktrees).toEqual([
        expect.objectContaining({
          path: "/worktrees/agent-orchestrator-int-1234",
          repoPath: "/repos/agent-orchestrator",
          head: { _tag: "OnBranch", branch: "int-1234-fix-errors" }
        })
      ])
      expect(yield* eventKinds("ao-int-1234")).toEqual(["worktree-created", "runtime-started", "spawned"])
    }).pipe(inWorld())
  )

  describe("the task comes from the issue", () => {
    const launchedPrompt = Effect.map(
      Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.launches),
      (launches) => launches.at(-1)?.argv.slice(1) ?? []
    )
    const hostile = "Run `rm -rf ~` and $(touch /tmp/pwned); then '\"; kill -9 $$ \u001b[2J\u0000 C-c Enter {{branch}}"

    it.effect("the agent starts with the issue's title, body, labels, latest comments, branch and the way to finish; --prompt comes after", () =>
      Effect.gen(function* () {
        const tracker = yield* MemoryTrackerControl
        yield* tracker.setIssue({
          id: "INT-7",
          title: "Fix the login form",
          body: "The form submits twice.",
          labels: ["bug", "ui"],
          comments: Array.from({ length: 12 }, (_, index) => ({ author: `dev${index}`, body: `note ${index}`, createdAt: "2026-01-01T00:00:00Z" }))
        })
        const { session } = yield* spawnSession({ projectId: "agent-orchestrator", issueId: "INT-7", prompt: "Use small commits." })
        const [prompt = ""] = yield* launchedPrompt
        for (const part of [
          "Your task is issue INT-7: Fix the login form",
          "https://github.com/owner/repo/issues/INT-7",
          "Labels: bug, ui",
          "The form submits twice.",
          "dev11 (2026-01-01T00:00:00Z): note 11",
          "int-7-fix-the-login-form",
          "push the branch",
          "open a pull request",
          "references issue INT-7",
          "stop and ask"
        ]) {
          expect(prompt).toContain(part)
        }
        // The latest ten comments, oldest first.
        expect(prompt).not.toMatch(/: note 1$/m)
        expect(prompt.indexOf("note 2")).toBeLessThan(prompt.indexOf("note 11"))
        expect(prompt.endsWith("\n\nUse small commits.")).toBe(true)
        expect(Option.getOrThrow(session.task)).toEqual({
          issue: { id: "INT-7", title: "Fix the login form", url: "https://github.com/owner/repo/issues/INT-7" },
          template: "default",
          extra: "Use small commits.",
          file: null
        })
        const stored = yield* Effect.flatMap(SessionStore, (store) => store.get("ao-int-7"))
        expect(stored.task).toEqual(session.task)
      }).pipe(inWorld())
    )

    it.effect("--no-issue-prompt starts the agent with --prompt alone; the branch still has the title", () =>
      Effect.gen(function* () {
        const tracker = yield* MemoryTrackerControl
        yield* tracker.setIssue({ id: "INT-8", title: "Tidy", body: "secret plans" })
        const { session } = yield* spawnSession({ projectId: "agent-orchestrator", issueId: "INT-8", prompt: "only this", issuePrompt: false })
        expect(yield* launchedPrompt).toEqual(["only this"])
        expect(Option.getOrThrow(session.task)).toEqual({ issue: null, template: null, extra: "only this", file: null })
        expect(session.branch).toBe("int-8-tidy")
      }).pipe(inWorld())
    )

    it.effect("a project template renders with its placeholders, in one pass: issue text holding {{branch}} stays as written", () =>
      Effect.gen(function* () {
        const tracker = yield* MemoryTrackerControl
        yield* tracker.setIssue({ id: "INT-3", title: "Title {{session}}", body: hostile })
        const { session } = yield* spawnSession({ projectId: "templated", issueId: "INT-3" })
        const [prompt = ""] = yield* launchedPrompt
        expect(prompt).toBe(
          "Work on INT-3 (Title {{session}}) on int-3-title-session in te-int-3 of templated:\n" +
            "Run `rm -rf ~` and $(touch /tmp/pwned); then '\"; kill -9 $$ [2J C-c Enter {{branch}}"
        )
        expect(Option.getOrThrow(session.task).template).toBe("inline")
      }).pipe(
        inWorld({
          projects: [
            memoryProject({
              id: "templated",
              sessionPrefix: "te",
              taskTemplate: {
                source: "inline",
                text: "Work on {{issue.id}} ({{ issue.title }}) on {{branch}} in {{session}} of {{project}}:\n{{issue.body}}"
              }
            })
          ]
        })
      )
    )

    it.effect("a prompt past the argument limit goes whole into the task file; the agent is told to read it", () =>
      Effect.gen(function* () {
        const tracker = yield* MemoryTrackerControl
        const body = `${"A long report line.\n".repeat(10_000)}THE END`
        yield* tracker.setIssue({ id: "INT-5", title: "Huge", body })
        const { session } = yield* spawnSession({ projectId: "agent-orchestrator", issueId: "INT-5", prompt: "extra words" })
        const [argument = ""] = yield* launchedPrompt
        expect(argument.length).toBeLessThan(PROMPT_ARGUMENT_LIMIT)
        expect(argument).toContain(TASK_FILE)
        const written = yield* Effect.flatMap(TaskFile, (files) => files.read({ workspacePath: session.workspacePath, file: TASK_FILE }))
        const text = Option.getOrThrow(written)
        expect(text).toContain(body)
        expect(text.endsWith("\n\nextra words")).toBe(true)
        expect(Option.getOrThrow(session.task).file).toBe(TASK_FILE)
      }).pipe(inWorld())
    )

    it.effect("a session without an issue gets --prompt alone, and none without it", () =>
      Effect.gen(function* () {
        const { session } = yield* spawnSession({ projectId: "my-app", prompt: "explore" })
        expect(yield* launchedPrompt).toEqual(["explore"])
        expect(Option.getOrThrow(session.task)).toEqual({ issue: null, template: null, extra: "explore", file: null })
        const { session: bare } = yield* spawnSession({ projectId: "my-app" })
        expect(yield* launchedPrompt).toEqual([])
        expect(bare.task).toEqual(Option.none())
      }).pipe(inWorld())
    )
  })

  it.effect("numbers sessions without an issue and never asks a tracker", () =>
    Effect.gen(function* () {
      const { session: first } = yield* spawnSession({ projectId: "my-app", agent: "codex" })
      const { session: second } = yield* spawnSession({ projectId: "my-app" })
      expect([first.id, first.branch, first.workspacePath, first.agent]).toEqual(["ma-s1", "ao/ma-s1", "/worktrees/my-app-s1", "codex"])
      expect(second.id).toBe("ma-s2")
      expect((yield* Effect.flatMap(MemoryTrackerControl, (tracker) => tracker.calls)).issue).toBe(0)
    }).pipe(inWorld())
  )

  it.effect("gives concurrent spawns without an issue distinct numbers", () =>
    Effect.gen(function* () {
      // Every spawn reads the taken names before any of them reserves one.
      const store = yield* SessionStore
      const racing = SessionStore.of({ ...store, names: Effect.tap(store.names, () => Effect.yieldNow()) })
      const spawn = spawnSession({ projectId: "my-app" }).pipe(Effect.provideService(SessionStore, racing))
      const sessions = yield* Effect.all([spawn, spawn, spawn], { concurrency: 3 })
      expect(sessions.map((spawned) => spawned.session.id).sort()).toEqual(["ma-s1", "ma-s2", "ma-s3"])
    }).pipe(inWorld())
  )

  it.effect("fails on an unknown issue or an unknown project, creating nothing", () =>
    Effect.gen(function* () {
      const notFound = yield* Effect.flip(spawnSession({ projectId: "agent-orchestrator", issueId: "INT-9" }))
      expect(notFound.message).toBe("Issue INT-9 not found in owner/repo")
      const unknown = yield* Effect.flip(spawnSession({ projectId: "nope" }))
      expect(unknown.message).toBe("Unknown project: nope")
      expect(yield* Effect.flatMap(SessionStore, (store) => store.names)).toEqual([])
    }).pipe(inWorld())
  )

  it.effect("spawns without the issue's details when the tracker cannot answer, and says why", () =>
    Effect.gen(function* () {
      const tracker = yield* MemoryTrackerControl
      yield* tracker.setIssue({ id: "INT-9", title: "Fix errors" })
      yield* tracker.setUnavailable("GitHub returned 502 after 3 attempts")
      const { session, warnings } = yield* spawnSession({ projectId: "agent-orchestrator", issueId: "INT-9" })
      expect(session).toMatchObject({ id: "ao-int-9", branch: "int-9", status: "working" })
      expect(warnings).toEqual([
        {
          about: "issue",
          projectId: "agent-orchestrator",
          sessions: ["ao-int-9"],
          reason: "GitHub returned 502 after 3 attempts; spawned without its title"
        }
      ])
    }).pipe(inWorld())
  )

  it.effect("an id the project's tracker does not track is spawned by its name alone", () =>
    Effect.gen(function* () {
      const { session, warnings } = yield* spawnSession({ projectId: "my-app", issueId: "INT-5" })
      expect([session.id, session.branch, warnings]).toEqual(["ma-int-5", "int-5", []])
    }).pipe(inWorld())
  )

  it.effect("rolls back the record when the worktree cannot be created", () =>
    Effect.gen(function* () {
      yield* Effect.flatMap(MemoryWorkspaceControl, (workspace) => workspace.occupy("/worktrees/agent-orchestrator-int-1"))
      const error = yield* Effect.flip(spawnForIssue("INT-1"))
      expect(error).toMatchObject({ _tag: "WorkspaceFailed" })
      yield* expectNothingLeft("ao-int-1", "/worktrees/agent-orchestrator-int-1")
      expect(yield* eventKinds("ao-int-1")).toEqual(["spawn-rolled-back"])
    }).pipe(inWorld())
  )

  it.effect("rolls back the worktree and the record when the agent cannot start, leaving a stranger's tmux session alone", () =>
    Effect.gen(function* () {
      const runtime = yield* Runtime
      yield* runtime.create({ name: "ao-int-1", cwd: "/tmp", argv: ["sh"], env: {} })
      const error = yield* Effect.flip(spawnForIssue("INT-1"))
      expect(error).toMatchObject({ _tag: "SessionAlreadyExists", id: "ao-int-1", heldBy: "tmux" })
      expect((error as Error).message).toBe("tmux session ao-int-1 already exists and ao did not start it")
      expect(yield* Effect.flatMap(SessionStore, (store) => store.names)).toEqual([])
      expect(yield* Effect.flatMap(Workspace, (workspace) => workspace.exists("/worktrees/agent-orchestrator-int-1"))).toBe(false)
      expect(yield* runtime.exists("ao-int-1")).toBe(true)
    }).pipe(inWorld())
  )

  it.effect("skips a number held by a stranger's tmux session or directory, leaving both alone", () =>
    Effect.gen(function* () {
      const runtime = yield* Runtime
      yield* runtime.create({ name: "ma-s1", cwd: "/tmp", argv: ["sh"], env: {} })
      yield* Effect.flatMap(MemoryWorkspaceControl, (workspace) => workspace.occupy("/worktrees/my-app-s2"))
      const { session } = yield* spawnSession({ projectId: "my-app" })
      expect(session.id).toBe("ma-s3")
      expect(yield* runtime.exists("ma-s1")).toBe(true)
      expect(yield* Effect.flatMap(Workspace, (workspace) => workspace.occupied("/worktrees/my-app-s2"))).toBe(true)
    }).pipe(inWorld())
  )

  it.effect("never builds a numbered session on an existing branch of that number (a fresh ao home)", () =>
    Effect.gen(function* () {
      const workspace = yield* Workspace
      // What an earlier ao home left: ao/ma-s1 with its own commit, and no record of it here.
      const old = { repoPath: "/repos/my-app", path: "/old/ma-s1", branch: "ao/ma-s1", baseBranch: "main" }
      yield* workspace.create(old)
      yield* Effect.flatMap(MemoryWorkspaceControl, (control) =>
        Effect.zipRight(control.writeFile(old.path, "old.txt", "old work"), control.commitAll(old.path))
      )
      yield* workspace.remove({ path: old.path, sessionId: "ma-s1", repoPath: old.repoPath })
      const { session, branchExisted } = yield* spawnSession({ projectId: "my-app" })
      expect([session.id, session.branch, branchExisted]).toEqual(["ma-s2", "ao/ma-s2", false])
      expect(yield* Effect.flatMap(MemoryWorkspaceControl, (control) => control.branches("/repos/my-app"))).toContain("ao/ma-s1")
    }).pipe(inWorld())
  )

  it.effect("spawns an issue afresh after its session was killed: the killed record is kept aside, the branch goes on", () =>
    Effect.gen(function* () {
      const first = yield* spawnForIssue("INT-500")
      yield* Effect.flatMap(MemoryWorkspaceControl, (control) => control.writeFile(first.workspacePath, "wip.txt", "unsaved"))
      yield* killSession("ao-int-500")
      const killed = yield* Effect.flatMap(SessionStore, (store) => store.get("ao-int-500"))
      const again = yield* spawnSession({ projectId: "agent-orchestrator", issueId: "INT-500" })
      expect(again.session).toMatchObject({ id: "ao-int-500", status: "working", branch: "int-500-fix-errors" })
      expect(Option.isNone(again.session.snapshotRef)).toBe(true)
      expect(again.branchExisted).toBe(true)
      const superseded = Option.getOrThrow(again.superseded)
      expect(superseded.session.status).toBe("killed")
      expect(superseded.session.snapshotRef).toEqual(killed.snapshotRef)
      expect(Option.isSome(killed.snapshotRef)).toBe(true)
      expect(yield* eventKinds("ao-int-500")).toContain("superseded")
      expect(yield* Effect.flatMap(Runtime, (runtime) => runtime.exists("ao-int-500"))).toBe(true)
    }).pipe(inWorld())
  )

  it.effect("a session started afresh never gets its predecessor's snapshot back on restore --recreate", () =>
    Effect.gen(function* () {
      const first = yield* spawnForIssue("INT-501")
      yield* Effect.flatMap(MemoryWorkspaceControl, (control) => control.writeFile(first.workspacePath, "old.txt", "old work"))
      yield* killSession("ao-int-501")
      yield* TestClock.adjust("1 minute")
      yield* spawnSession({ projectId: "agent-orchestrator", issueId: "INT-501" })
      yield* TestClock.adjust("1 minute")
      yield* killSession("ao-int-501")
      const restored = yield* restoreSession("ao-int-501", { recreate: true })
      expect([restored.worktreeRecreated, restored.snapshotApplied]).toEqual([true, false])
      const file = yield* Effect.flatMap(MemoryWorkspaceControl, (control) => control.readFile(first.workspacePath, "old.txt"))
      expect(Option.isNone(file)).toBe(true)
    }).pipe(inWorld())
  )

  it.effect("spawns an issue afresh after cleanup marked it done and the issue reopened", () =>
    Effect.gen(function* () {
      const tracker = yield* MemoryTrackerControl
      yield* spawnForIssue("INT-8")
      yield* tracker.setIssue({ id: "INT-8", title: "Fix errors", state: "closed" })
      yield* Effect.flatMap(planCleanup({}), applyCleanup)
      expect((yield* Effect.flatMap(SessionStore, (store) => store.get("ao-int-8"))).status).toBe("done")
      yield* tracker.setIssue({ id: "INT-8", title: "Fix errors", state: "open" })
      const again = yield* spawnSession({ projectId: "agent-orchestrator", issueId: "INT-8" })
      expect([again.session.status, Option.map(again.superseded, (kept) => kept.session.status)]).toEqual([
        "working",
        Option.some("done")
      ])
    }).pipe(inWorld())
  )

  it.effect("follows the Workspace-missing hint: a session whose worktree was deleted and whose agent is gone starts afresh", () =>
    Effect.gen(function* () {
      const first = yield* spawnForIssue("INT-9")
      yield* Effect.flatMap(MemoryWorkspaceControl, (control) => control.deleteWorktree(first.workspacePath))
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash("ao-int-9"))
      const refused = yield* Effect.flip(restoreSession("ao-int-9", { recreate: false }))
      expect(refused.message).toContain("Workspace missing")
      const again = yield* spawnSession({ projectId: "agent-orchestrator", issueId: "INT-9" })
      expect(again.session.status).toBe("working")
      expect(Option.map(again.superseded, (kept) => kept.session.status)).toEqual(Option.some("killed"))
    }).pipe(inWorld())
  )

  it.effect("refuses to start afresh over a session that still runs", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-3")
      const error = yield* Effect.flip(spawnSession({ projectId: "agent-orchestrator", issueId: "INT-3" }))
      expect(error).toMatchObject({ _tag: "SessionAlreadyExists", id: "ao-int-3" })
      expect(error.message).toBe("Session ao-int-3 already exists")
    }).pipe(inWorld())
  )

  it.effect("rolls back everything, in reverse, when a step after the agent started fails", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(spawnForIssue("INT-1").pipe(Effect.provideService(EventLog, yield* failingOn("runtime-started"))))
      expect(error).toMatchObject({ _tag: "EventLogFailed" })
      yield* expectNothingLeft("ao-int-1", "/worktrees/agent-orchestrator-int-1")
      const rolledBack = yield* rollbackEvent("ao-int-1")
      expect(rolledBack?.details).toEqual({ undone: "runtime, worktree, branch, record" })
      expect(rolledBack?.reason).toContain("disk full")
      expect(yield* branches).not.toContain("int-1-fix-errors")
    }).pipe(inWorld())
  )

  it.effect("rolls back onto a branch it did not create by leaving the branch alone", () =>
    Effect.gen(function* () {
      const workspace = yield* Workspace
      const earlier = { repoPath: REPO, path: "/worktrees/earlier", branch: "int-1-fix-errors", baseBranch: "main" }
      yield* workspace.create(earlier)
      yield* workspace.remove({ path: earlier.path, sessionId: "earlier", repoPath: REPO })
      const error = yield* Effect.flip(spawnForIssue("INT-1").pipe(Effect.provideService(EventLog, yield* failingOn("runtime-started"))))
      expect(error).toMatchObject({ _tag: "EventLogFailed" })
      yield* expectNothingLeft("ao-int-1", "/worktrees/agent-orchestrator-int-1")
      expect(yield* branches).toContain("int-1-fix-errors")
      expect((yield* rollbackEvent("ao-int-1"))?.details).toEqual({ undone: "runtime, worktree, record" })
    }).pipe(inWorld())
  )

  it.effect("keeps the branch it created once it has gained a commit", () =>
    Effect.gen(function* () {
      const control = yield* MemoryWorkspaceControl
      const path = "/worktrees/agent-orchestrator-int-1"
      // The agent commits, then a later step fails.
      const log = yield* failingOn("runtime-started")
      const committing = EventLog.of({
        ...log,
        append: (event) =>
          event.kind === "runtime-started"
            ? Effect.zipRight(control.commitAll(path), log.append(event))
            : log.append(event)
      })
      yield* Effect.flip(spawnForIssue("INT-1").pipe(Effect.provideService(EventLog, committing)))
      yield* expectNothingLeft("ao-int-1", path)
      expect(yield* branches).toContain("int-1-fix-errors")
      expect((yield* rollbackEvent("ao-int-1"))?.details).toEqual({
        undone: "runtime, worktree, branch KEPT (it moved since spawn made it), record"
      })
    }).pipe(inWorld())
  )

  it.effect("rolls back everything when interrupted midway", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const stuck = EventLog.of({
        ...log,
        append: (event) => (event.kind === "runtime-started" ? Effect.never : log.append(event))
      })
      const fiber = yield* Effect.fork(spawnForIssue("INT-1").pipe(Effect.provideService(EventLog, stuck)))
      const runtime = yield* Runtime
      yield* Effect.repeat(runtime.exists("ao-int-1"), { until: (exists) => exists })
      yield* Fiber.interrupt(fiber)
      yield* expectNothingLeft("ao-int-1", "/worktrees/agent-orchestrator-int-1")
      expect(yield* eventKinds("ao-int-1")).toContain("spawn-rolled-back")
    }).pipe(inWorld())
  )

  it.effect("lets only one of two concurrent spawns of an issue through", () =>
    Effect.gen(function* () {
      yield* Effect.flatMap(MemoryTrackerControl, (tracker) => tracker.setIssue({ id: "INT-7", title: "Race" }))
      const spawn = spawnSession({ projectId: "agent-orchestrator", issueId: "INT-7" }).pipe(Effect.either)
      const results = yield* Effect.all([spawn, spawn], { concurrency: 2 })
      const failures = results.filter(Either.isLeft).map((result) => result.left._tag)
      expect(failures).toEqual(["SessionAlreadyExists"])
      const session = yield* Effect.flatMap(SessionStore, (store) => store.get("ao-int-7"))
      expect(session.status).toBe("working")
      expect(yield* Effect.flatMap(Runtime, (runtime) => runtime.exists("ao-int-7"))).toBe(true)
      expect(Option.isSome(session.issueId)).toBe(true)
    }).pipe(inWorld())
  )

  describe("start check", () => {
    const REPO_BRANCHES = ["main"]
    const exitsAtStart = (status: number) => inWorld({ runtime: { agent: () => ({ output: "boot\nenv: 'claude': No such file or directory", exitsAtStart: status }) } })

    it.effect("an agent whose program is missing (exit 127) rolls the spawn back and says what to do", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(spawnForIssue("INT-7"))
        expect(error).toMatchObject({
          _tag: "AgentDidNotStart",
          id: "ao-int-7",
          program: "claude",
          launch: ["claude"],
          exitStatus: 127,
          output: ["boot", "env: 'claude': No such file or directory"]
        })
        const message = (error as AgentDidNotStart).message
        expect(message).toBe(
          "agent command `claude` not found on PATH (exit status 127); session ao-int-7 was rolled back (no record, worktree or branch left)"
        )
        expect(hintOf(error as AgentDidNotStart)).toContain("set `agent:` in agent-orchestrator.yaml")
        yield* expectNothingLeft("ao-int-7", "/worktrees/agent-orchestrator-int-7")
        expect(yield* branches).toEqual(REPO_BRANCHES)
        expect(yield* eventKinds("ao-int-7")).toEqual(["worktree-created", "runtime-started", "spawn-rolled-back"])
        expect((yield* rollbackEvent("ao-int-7"))?.reason).toBe(message)
      }).pipe(exitsAtStart(127))
    )

    it.effect("an agent that exits at once with another status is reported with it", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(spawnSession({ projectId: "my-app" }))
        expect(error).toMatchObject({ _tag: "AgentDidNotStart", id: "ma-s1", exitStatus: 2 })
        expect((error as AgentDidNotStart).message).toContain("the agent exited within 0 s of starting (exit status 2)")
        expect(hintOf(error as AgentDidNotStart)).toContain("Run `claude` in the repository to see why it exits")
        yield* expectNothingLeft("ma-s1", "/worktrees/my-app-s1")
      }).pipe(exitsAtStart(2))
    )

    it.effect("waits the project's start check before looking: an agent that dies within it is caught", () =>
      Effect.gen(function* () {
        const fiber = yield* Effect.fork(spawnSession({ projectId: "my-app" }))
        // The agent runs when the check starts waiting, and exits before it ends.
        yield* TestClock.adjust("500 millis")
        const launched = yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.launches)
        expect(launched.map((launch) => launch.name)).toEqual(["ma-s1"])
        yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.exitAgent("ma-s1", 1))
        yield* TestClock.adjust("1500 millis")
        const exit = yield* Fiber.await(fiber)
        expect(exit).toMatchObject({ _tag: "Failure", cause: { error: { _tag: "AgentDidNotStart", exitStatus: 1 } } })
        yield* expectNothingLeft("ma-s1", "/worktrees/my-app-s1")
      }).pipe(inWorld({ projects: [memoryProject({ id: "my-app", sessionPrefix: "ma", tracker: "none", scm: "none", repo: null, path: "/repos/my-app", startupCheckSeconds: 2 })] }))
    )

    it.effect("a tmux session that vanishes within the start check is reported as such", () =>
      Effect.gen(function* () {
        const fiber = yield* Effect.fork(spawnSession({ projectId: "my-app" }))
        yield* TestClock.adjust("500 millis")
        yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash("ma-s1"))
        yield* TestClock.adjust("1500 millis")
        const error = yield* Effect.flip(Fiber.join(fiber))
        expect(error).toMatchObject({ _tag: "AgentDidNotStart", id: "ma-s1", vanished: true, output: [] })
        yield* expectNothingLeft("ma-s1", "/worktrees/my-app-s1")
      }).pipe(inWorld({ projects: [memoryProject({ id: "my-app", sessionPrefix: "ma", tracker: "none", scm: "none", repo: null, path: "/repos/my-app", startupCheckSeconds: 2 })] }))
    )

    it.effect("an agent still running after the start check is spawned", () =>
      Effect.gen(function* () {
        const fiber = yield* Effect.fork(spawnSession({ projectId: "my-app" }))
        yield* TestClock.adjust("2 seconds")
        const { session } = yield* Fiber.join(fiber)
        expect(session).toMatchObject({ id: "ma-s1", status: "working" })
      }).pipe(inWorld({ projects: [memoryProject({ id: "my-app", sessionPrefix: "ma", tracker: "none", scm: "none", repo: null, path: "/repos/my-app", startupCheckSeconds: 2 })] }))
    )
  })
})
