import { applyCleanup, killSession, planCleanup, Projects, restoreAll, restoreSession, restoreView, Runtime, SessionStore, Workspace } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Option, TestClock } from "effect"
import { MemoryRuntimeControl } from "../../src/runtime"
import { MemoryTrackerControl } from "../../src/tracker"
import { MemoryWorkspaceControl } from "../../src/workspace"
import { eventKinds, inWorld, spawnForIssue } from "./world-fixture"

const path = "/worktrees/agent-orchestrator-int-1"

describe("restoreSession", () => {
  describe("a done session", () => {
    /** INT-1 spawned, its issue closed, and cleanup marked its session done. */
    const doneByCleanup = Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryTrackerControl, (tracker) => tracker.setIssue({ id: "INT-1", title: "Fix errors", state: "closed" }))
      yield* applyCleanup(yield* planCleanup({}))
      expect((yield* Effect.flatMap(SessionStore, (store) => store.get("ao-int-1"))).status).toBe("done")
    })

    it.effect("whose issue is still closed is restored with a warning that the next cleanup ends it again", () =>
      Effect.gen(function* () {
        yield* doneByCleanup
        const result = yield* restoreSession("ao-int-1", { recreate: true })
        expect(result.session.status).toBe("working")
        expect(result.warnings).toEqual([
          { about: "issue", projectId: "agent-orchestrator", sessions: ["ao-int-1"], reason: "issue INT-1 is still closed", kind: "cleanup-again" }
        ])
        expect(restoreView(result).warnings).toEqual([
          {
            about: "issue",
            project: "agent-orchestrator",
            sessions: ["ao-int-1"],
            reason: "issue INT-1 is still closed",
            kind: "cleanup-again",
            message: "issue INT-1 is still closed: the next ao session cleanup will end ao-int-1 again"
          }
        ])
      }).pipe(inWorld())
    )

    it.effect("whose issue was reopened is restored without a warning; one whose issue cannot be looked up says so", () =>
      Effect.gen(function* () {
        yield* doneByCleanup
        const tracker = yield* MemoryTrackerControl
        yield* tracker.setIssue({ id: "INT-1", title: "Fix errors", state: "open" })
        expect((yield* restoreSession("ao-int-1", { recreate: true })).warnings).toEqual([])
        yield* killSession("ao-int-1")
        yield* tracker.setIssueUnavailable("INT-1", "rate limited")
        // A killed session is not what cleanup ended: no lookup, no warning.
        expect((yield* restoreSession("ao-int-1", { recreate: true })).warnings).toEqual([])
      }).pipe(inWorld())
    )

    it.effect("whose issue cannot be looked up is restored with the lookup's warning", () =>
      Effect.gen(function* () {
        yield* doneByCleanup
        yield* Effect.flatMap(MemoryTrackerControl, (tracker) => tracker.setIssueUnavailable("INT-1", "rate limited"))
        expect((yield* restoreSession("ao-int-1", { recreate: true })).warnings).toEqual([
          { about: "issue", projectId: "agent-orchestrator", sessions: ["ao-int-1"], reason: "rate limited" }
        ])
      }).pipe(inWorld())
    )
  })

  it.effect("restarts a crashed session in its worktree with the agent's resume command", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const runtime = yield* MemoryRuntimeControl
      yield* runtime.crash("ao-int-1")
      yield* TestClock.adjust("10 minutes")
      const result = yield* restoreSession("ao-int-1", { recreate: false })
      expect(result.session).toMatchObject({ status: "working", statusReason: "restored" })
      expect(result.session.restoredAt).toEqual(Option.some(DateTime.unsafeMake(10 * 60_000)))
      expect([result.worktreeRecreated, result.snapshotApplied]).toEqual([false, false])
      expect(result.attachCommand).toEqual(["memory-runtime", "-S", "/memory/tmux-0/default", "attach", "ao-int-1"])
      expect((yield* runtime.launches).at(-1)).toEqual({
        name: "ao-int-1",
        cwd: path,
        argv: ["claude", "--continue"],
        env: { AO_SESSION: "ao-int-1", AO_PROJECT_ID: "agent-orchestrator" },
        // Back on the server it was recorded on.
        server: expect.objectContaining({ address: "/memory/tmux-0/default" })
      })
      expect((yield* eventKinds("ao-int-1")).slice(3)).toEqual(["runtime-started", "restored"])
    }).pipe(inWorld())
  )

  it.effect("shows the branch the worktree is on now, not the recorded one", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryWorkspaceControl, (workspace) => workspace.switchBranch(path, "agent-chose-this"))
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash("ao-int-1"))
      const result = yield* restoreSession("ao-int-1", { recreate: false })
      expect([result.session.branch, result.branch]).toEqual(["int-1-fix-errors", "agent-chose-this"])
      expect(restoreView(result).branch).toBe("agent-chose-this")
    }).pipe(inWorld())
  )

  it.effect("refuses a session that is still running", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const error = yield* Effect.flip(restoreSession("ao-int-1", { recreate: false }))
      expect([error._tag, error.message]).toEqual(["SessionStillRunning", "Cannot restore: Session is still running"])
    }).pipe(inWorld())
  )

  it.effect("replaces the dead tmux session of an agent that exited", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const runtime = yield* MemoryRuntimeControl
      yield* runtime.exitAgent("ao-int-1")
      yield* restoreSession("ao-int-1", { recreate: false })
      // The resume carries no prompt: the agent picks up its conversation, task included.
      expect((yield* runtime.launches).map((launch) => launch.argv.slice(0, 2))).toEqual([
        ["claude", expect.stringContaining("Your task is issue INT-1: Fix errors")],
        ["claude", "--continue"]
      ])
      expect((yield* eventKinds("ao-int-1")).slice(3)).toEqual(["runtime-killed", "runtime-started", "restored"])
    }).pipe(inWorld())
  )

  it.effect("refuses a deleted worktree with its path, and rejects unknown and invalid names", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash("ao-int-1"))
      yield* Effect.flatMap(MemoryWorkspaceControl, (workspace) => workspace.deleteWorktree(path))
      const error = yield* Effect.flip(restoreSession("ao-int-1", { recreate: false }))
      expect([error._tag, error.message]).toEqual(["WorkspaceMissing", `Workspace missing: ${path}`])
      expect((yield* Effect.flip(restoreSession("ao-int-2", { recreate: false })))._tag).toBe("SessionNotFound")
      expect((yield* Effect.flip(restoreSession("a/b", { recreate: false })))._tag).toBe("InvalidSessionName")
    }).pipe(inWorld())
  )

  it.effect("rebuilds a killed session's worktree from its branch and re-applies the snapshot", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const workspace = yield* MemoryWorkspaceControl
      yield* workspace.writeFile(path, "notes.md", "half done")
      yield* killSession("ao-int-1")
      const refused = yield* Effect.flip(restoreSession("ao-int-1", { recreate: false }))
      expect(refused._tag).toBe("WorkspaceMissing")
      const result = yield* restoreSession("ao-int-1", { recreate: true })
      expect([result.worktreeRecreated, result.snapshotApplied, result.session.status]).toEqual([true, true, "working"])
      const notes = yield* workspace.readFile(path, "notes.md")
      expect(Option.map(notes, (bytes) => new TextDecoder().decode(bytes))).toEqual(Option.some("half done"))
      expect(yield* Effect.flatMap(Workspace, (live) => live.currentBranch(path))).toEqual({
        _tag: "OnBranch",
        branch: "int-1-fix-errors"
      })
      expect(yield* eventKinds("ao-int-1")).toContain("worktree-recreated")
    }).pipe(inWorld())
  )
  it.effect("finishes a restore --recreate that was interrupted after it started the agent", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const runtime = yield* MemoryRuntimeControl
      yield* killSession("ao-int-1")
      // What an interrupted restore leaves: the worktree rebuilt and the agent started, the record still killed.
      const project = yield* Effect.flatMap(Projects, (projects) => projects.get("agent-orchestrator"))
      yield* Effect.flatMap(Workspace, (workspace) =>
        workspace.recreate({
          repoPath: project.path,
          path,
          branch: "int-1-fix-errors",
          baseBranch: project.defaultBranch,
          snapshotRef: Option.none()
        })
      )
      yield* Effect.flatMap(Runtime, (live) =>
        live.create({ name: "ao-int-1", cwd: path, argv: ["claude", "--continue"], env: {} })
      )
      const launched = (yield* runtime.launches).length
      const result = yield* restoreSession("ao-int-1", { recreate: true })
      expect([result.session.status, result.worktreeRecreated]).toEqual(["working", false])
      expect((yield* runtime.launches).length).toBe(launched)
      expect((yield* eventKinds("ao-int-1")).at(-1)).toBe("restored")
      const again = yield* Effect.flip(restoreSession("ao-int-1", { recreate: false }))
      expect(again._tag).toBe("SessionStillRunning")
    }).pipe(inWorld())
  )
})

describe("restoreAll", () => {
  it.effect("restores every session whose runtime died with the server, each on its own", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      yield* spawnForIssue("INT-3")
      yield* killSession("ao-int-3")
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.stopServer)
      yield* Effect.flatMap(MemoryWorkspaceControl, (workspace) =>
        workspace.deleteWorktree("/worktrees/agent-orchestrator-int-2")
      )
      const report = yield* restoreAll({})
      expect(report.restored.map((restored) => restored.session.id)).toEqual(["ao-int-1"])
      expect(report.failed.map(({ id, error }) => [id, error._tag])).toEqual([["ao-int-2", "WorkspaceMissing"]])
      expect((yield* Effect.flatMap(SessionStore, (store) => store.get("ao-int-3"))).status).toBe("killed")
    }).pipe(inWorld())
  )

  it.effect("with recreate, rebuilds the worktrees that are gone too", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.stopServer)
      yield* Effect.flatMap(MemoryWorkspaceControl, (workspace) =>
        workspace.deleteWorktree("/worktrees/agent-orchestrator-int-2")
      )
      const report = yield* restoreAll({ recreate: true })
      expect(report.failed).toEqual([])
      expect(report.restored.map((restored) => [restored.session.id, restored.worktreeRecreated])).toEqual([
        ["ao-int-1", false],
        ["ao-int-2", true]
      ])
    }).pipe(inWorld())
  )

  it.effect("says a stranger's tmux session holds the name of a killed session, not that the session still runs", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* killSession("ao-int-1")
      yield* Effect.flatMap(Runtime, (runtime) => runtime.create({ name: "ao-int-1", cwd: "/tmp", argv: ["sh"], env: {} }))
      const error = yield* Effect.flip(restoreSession("ao-int-1", { recreate: true }))
      expect(error.message).toBe("tmux session ao-int-1 already exists and ao did not start it (it runs in /tmp)")
      expect(error.message).not.toContain("still running")
    }).pipe(inWorld())
  )
})
