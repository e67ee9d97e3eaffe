import {
  diagnose,
  type DoctorReport,
  DoctorView,
  doctorView,
  EventLog,
  killSession,
  repair,
  restoreSession,
  Runtime,
  Session,
  SessionStore,
  ToolMissing,
  Workspace
} from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import { MemoryNotifier, MemoryNotifierControl } from "../../src/notifier"
import { MemoryRuntimeControl } from "../../src/runtime"
import { MemoryTrackerControl } from "../../src/tracker"
import { MemoryWorkspaceControl } from "../../src/workspace"
import { eventKinds, inWorld, spawnForIssue } from "./world-fixture"

const repoPath = "/repos/agent-orchestrator"
const worktreeOf = (suffix: string) => `/worktrees/agent-orchestrator-${suffix}`

/** kind → subject → fixable, for asserting a whole report at once. */
const summary = (report: DoctorReport) =>
  report.findings.map((found) => `${found.kind} ${found.subject}${Option.isSome(found.repair) ? " (fixable)" : ""}`)

const outcomes = (results: Effect.Effect.Success<ReturnType<typeof repair>>) =>
  results.map((result) => `${result.finding.kind} ${result.finding.subject}: ${result.outcome._tag}`)

/** A record left in `spawning` by an ao process that died half way, with what it had made. */
const interruptedSpawn = (issueId: string) =>
  Effect.gen(function* () {
    const session = yield* spawnForIssue(issueId)
    const store = yield* SessionStore
    yield* store.update(session.id, (current) => Effect.succeed(new Session({ ...current, status: "spawning" })))
    return session
  })

describe("diagnose", () => {
  it.effect("a session whose container is gone while its tmux session stays is reported as such, to be restored", () =>
    Effect.gen(function* () {
      const runtimeControl = yield* MemoryRuntimeControl
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      yield* runtimeControl.loseSandbox("ao-int-1", "its container ao-0123-ao-int-1 is gone")
      // An agent that merely exited is not drift.
      yield* runtimeControl.exitAgent("ao-int-2")
      const report = yield* diagnose()
      expect(summary(report)).toEqual(["sandbox-missing ao-int-1"])
      const [found] = report.findings
      expect(found?.detail).toBe(
        "recorded as working, but its container ao-0123-ao-int-1 is gone (its tmux session ao-int-1 and worktree are still there)"
      )
      expect(found?.fix).toBe("restart the agent in a new one with: ao session restore ao-int-1 (or end it with: ao session kill ao-int-1)")
    }).pipe(inWorld())
  )

  it.effect("finds nothing wrong with healthy sessions, and writes nothing", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      const before = (yield* Effect.flatMap(EventLog, (log) => log.read({}))).events.length
      const report = yield* diagnose()
      expect(summary(report)).toEqual([])
      expect((yield* Effect.flatMap(EventLog, (log) => log.read({}))).events.length).toBe(before)
    }).pipe(inWorld())
  )

  it.effect("reports every drift, each with what --fix does or what a person should do", () =>
    Effect.gen(function* () {
      const runtime = yield* Runtime
      const workspace = yield* Workspace
      const runtimeControl = yield* MemoryRuntimeControl
      const workspaceControl = yield* MemoryWorkspaceControl
      // Lost: tmux and worktree gone. Crashed: only tmux gone. Homeless: only the worktree gone.
      yield* spawnForIssue("INT-1")
      yield* runtimeControl.crash("ao-int-1")
      yield* workspaceControl.deleteWorktree(worktreeOf("int-1"))
      yield* spawnForIssue("INT-2")
      yield* runtimeControl.crash("ao-int-2")
      yield* spawnForIssue("INT-3")
      yield* workspaceControl.deleteWorktree(worktreeOf("int-3"))
      yield* interruptedSpawn("INT-4")
      // Orphans: a finished tmux session, a running one, a worktree with nobody in it, one with a process in it.
      yield* runtime.create({ name: "ao-98", cwd: "/tmp", argv: ["sh"], env: {} })
      yield* runtimeControl.exitAgent("ao-98")
      yield* workspace.create({ repoPath, path: worktreeOf("77"), branch: "stray", baseBranch: "main" })
      yield* workspace.create({ repoPath, path: worktreeOf("99"), branch: "busy", baseBranch: "main" })
      yield* runtime.create({ name: "ao-99", cwd: worktreeOf("99"), argv: ["sh"], env: {} })
      // Not ours: another prefix, and a worktree outside the worktree dir.
      yield* runtime.create({ name: "dev", cwd: "/tmp", argv: ["sh"], env: {} })
      yield* workspace.create({ repoPath, path: "/elsewhere/scratch", branch: "scratch", baseBranch: "main" })
      // A broken record whose tmux session still runs.
      yield* runtime.create({ name: "ao-int-9", cwd: "/tmp", argv: ["sh"], env: {} })

      const report = yield* diagnose()
      expect(summary(report)).toEqual([
        "interrupted-spawn ao-int-4 (fixable)",
        "lost-session ao-int-1 (fixable)",
        "runtime-missing ao-int-2",
        "workspace-missing ao-int-3",
        "broken-record ao-int-8 (fixable)",
        "broken-record ao-int-9",
        "orphan-runtime ao-98 (fixable)",
        "orphan-runtime ao-99",
        "orphan-worktree /worktrees/agent-orchestrator-77 (fixable)",
        "orphan-worktree /worktrees/agent-orchestrator-99",
        `stale-registration ${repoPath} (fixable)`,
        "stale-lock ao-int-5 (fixable)"
      ])
      const byKind = (kind: string) => report.findings.find((found) => found.kind === kind)
      expect(byKind("lost-session")?.fix).toContain("ao session restore ao-int-1 --recreate")
      expect(byKind("runtime-missing")?.fix).toContain("ao session restore ao-int-2")
      expect(byKind("stale-lock")?.detail).toBe("its lock is held by pid 4242, which is no longer running")
      expect(byKind("stale-registration")?.detail).toContain(worktreeOf("int-1"))
    }).pipe(
      inWorld({
        staleLocks: [{ id: "ao-int-5", holderPid: 4242 }],
        broken: [
          { id: "ao-int-8", path: "/sessions/ao-int-8.json", problem: "truncated", salvage: {} },
          { id: "ao-int-9", path: "/sessions/ao-int-9.json", problem: "truncated", salvage: { runtimeHandle: "ao-int-9" } }
        ],
      })
    )
  )

  it.effect("leaves a session alone while another ao process holds its lock", () =>
    Effect.gen(function* () {
      yield* interruptedSpawn("INT-4")
      const store = yield* SessionStore
      // Inside the lock, the spawn is still running as far as anyone can tell.
      expect(summary(yield* store.withLock("ao-int-4", diagnose()))).toEqual([])
      expect(summary(yield* diagnose())).toEqual(["interrupted-spawn ao-int-4 (fixable)"])
    }).pipe(inWorld())
  )

  it.effect("points a running tmux session of a killed session at ao session kill, which snapshots before removing", () =>
    Effect.gen(function* () {
      const session = yield* spawnForIssue("INT-1")
      yield* killSession("ao-int-1")
      // What a restore interrupted after starting the agent leaves: the record still says killed.
      yield* Effect.flatMap(Workspace, (workspace) =>
        workspace.create({ repoPath, path: session.workspacePath, branch: session.branch, baseBranch: "main" })
      )
      yield* Effect.flatMap(Runtime, (runtime) => runtime.create({ name: "ao-int-1", cwd: session.workspacePath, argv: ["claude"], env: {} }))
      const report = yield* diagnose()
      expect(summary(report)).toEqual(["orphan-runtime ao-int-1", `orphan-worktree ${session.workspacePath}`])
      expect(report.findings[0]?.detail).toContain("its session is recorded as killed")
      expect(report.findings[0]?.fix).toContain("ao session kill ao-int-1")
    }).pipe(inWorld())
  )

  it.effect("reports a missing tmux once and judges nothing on it; a refused tracker per GitHub project", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryTrackerControl, (tracker) => tracker.setUnavailable("GitHub rejected the token (401 Bad credentials)"))
      const runtime = yield* Runtime
      const report = yield* Effect.provideService(diagnose(), Runtime, { ...runtime, list: Effect.fail(new ToolMissing({ tool: "tmux" })) })
      expect(summary(report)).toEqual(["tool-missing tmux", "tracker-access agent-orchestrator"])
      expect(report.findings[1]?.detail).toContain("401")
    }).pipe(inWorld())
  )

  it.effect("names a configured notifier that cannot run here, with what to do; without notifiers it is not asked", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      expect(summary(yield* diagnose())).toEqual([])
      const problem = { notifier: "desktop", detail: "notify-send is not on PATH", fix: "install notify-send" }
      const report = yield* Effect.gen(function* () {
        yield* Effect.flatMap(MemoryNotifierControl, (notifier) => notifier.setProblems([problem]))
        return yield* diagnose()
      }).pipe(Effect.provide(MemoryNotifier))
      expect(summary(report)).toEqual(["notifier-unavailable desktop"])
      expect(report.findings[0]).toMatchObject({ detail: problem.detail, fix: problem.fix })
    }).pipe(inWorld())
  )
})

describe("interrupted removals (issue 10 item 10)", () => {
  /** A kill that died in the middle of removing the worktree: its work saved, part of its files gone, the record still active. */
  const killInterruptedInRemoval = (issueId: string) =>
    Effect.gen(function* () {
      const session = yield* spawnForIssue(issueId)
      yield* Effect.flatMap(MemoryWorkspaceControl, (control) => control.writeFile(session.workspacePath, "work.txt", "not committed"))
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash(session.id))
      yield* Effect.flatMap(MemoryWorkspaceControl, (control) =>
        control.interruptRemoval({ path: session.workspacePath, sessionId: session.id, repoPath, branch: session.branch })
      )
      return session
    })

  it.effect("doctor reports the half-removed worktree as such, not as a lost session or a stale registration; restore refuses until it is finished", () =>
    Effect.gen(function* () {
      const session = yield* killInterruptedInRemoval("INT-1")
      const report = yield* diagnose()
      expect(summary(report)).toEqual([`interrupted-removal ${session.workspacePath} (fixable)`])
      expect(report.findings[0]?.detail).toContain("its work had been saved to refs/ao/snapshots/ao-int-1/")
      const refused = yield* Effect.flip(restoreSession("ao-int-1", { recreate: true }))
      expect(refused.message).toContain("finish it with ao session kill ao-int-1")
    }).pipe(inWorld())
  )

  it.effect("doctor --fix finishes it through the kill's teardown, marks the session killed, and restore --recreate brings the work back", () =>
    Effect.gen(function* () {
      const session = yield* killInterruptedInRemoval("INT-1")
      // A prune between the crash and the fix (a spawn does one) changes nothing.
      yield* Effect.flatMap(Workspace, (workspace) => workspace.prune(repoPath))
      const results = yield* repair(yield* diagnose())
      expect(outcomes(results)).toEqual([`interrupted-removal ${session.workspacePath}: Fixed`])
      expect((yield* Effect.flatMap(SessionStore, (store) => store.get("ao-int-1"))).status).toBe("killed")
      expect(yield* Effect.flatMap(Workspace, (workspace) => workspace.interruptedRemovals(repoPath))).toEqual([])
      expect(summary(yield* diagnose())).toEqual([])
      yield* restoreSession("ao-int-1", { recreate: true })
      const work = yield* Effect.flatMap(MemoryWorkspaceControl, (control) => control.readFile(session.workspacePath, "work.txt"))
      expect(Option.map(work, (bytes) => new TextDecoder().decode(bytes))).toEqual(Option.some("not committed"))
    }).pipe(inWorld())
  )

  it.effect("running the kill again finishes it too, and a second doctor --fix has nothing left to do", () =>
    Effect.gen(function* () {
      const session = yield* killInterruptedInRemoval("INT-1")
      const report = yield* diagnose()
      const killed = yield* killSession("ao-int-1")
      expect(killed).toMatchObject({ alreadyKilled: false, worktreeRemoved: true })
      expect(outcomes(yield* repair(report))).toEqual([`interrupted-removal ${session.workspacePath}: Skipped`])
    }).pipe(inWorld())
  )
})

describe("stale temporary files (issue 10 item 10)", () => {
  it.effect("reports only old ones whose writer is gone, and --fix deletes exactly those", () =>
    Effect.gen(function* () {
      const report = yield* diagnose()
      expect(report.findings.map((found) => found.kind)).toEqual(["stale-temporary"])
      const [stale] = report.findings
      expect(stale?.subject).toMatch(/^\/store\/locks\/\.999999-/)
      expect(stale?.detail).toContain("left by ao process 999999, which is no longer running")
      expect(outcomes(yield* repair(report))).toEqual([`stale-temporary ${stale?.subject}: Fixed`])
      const left = yield* Effect.flatMap(SessionStore, (store) => store.strayTemporaries)
      expect(left.map((stray) => stray.path)).not.toContain(stale?.subject)
      expect(left).toHaveLength(2)
      expect(summary(yield* diagnose())).toEqual([])
    }).pipe(
      inWorld({
        temporaries: [
          { dir: "locks", writerPid: 999_999, ageMinutes: 60, bytes: 0 },
          { dir: "archive", writerPid: 999_999, ageMinutes: 2, bytes: 0 },
          { dir: "archive", writerPid: process.pid, ageMinutes: 60, bytes: 10 }
        ]
      })
    )
  )
})

describe("repair", () => {
  it.effect("repairs what is safe, snapshotting worktrees first, and leaves the rest to a person", () =>
    Effect.gen(function* () {
      const runtime = yield* Runtime
      const workspace = yield* Workspace
      const runtimeControl = yield* MemoryRuntimeControl
      const workspaceControl = yield* MemoryWorkspaceControl
      const store = yield* SessionStore
      yield* spawnForIssue("INT-1")
      yield* runtimeControl.crash("ao-int-1")
      yield* workspaceControl.deleteWorktree(worktreeOf("int-1"))
      const halfSpawned = yield* interruptedSpawn("INT-4")
      yield* workspaceControl.writeFile(worktreeOf("int-4"), "half.txt", "started")
      yield* runtime.create({ name: "ao-98", cwd: "/tmp", argv: ["sh"], env: {} })
      yield* runtimeControl.exitAgent("ao-98")
      yield* runtime.create({ name: "ao-99", cwd: "/tmp", argv: ["sh"], env: {} })
      yield* workspace.create({ repoPath, path: worktreeOf("77"), branch: "stray", baseBranch: "main" })
      yield* workspaceControl.writeFile(worktreeOf("77"), "notes.md", "keep me")

      const results = yield* repair(yield* diagnose())
      expect(outcomes(results)).toEqual([
        "stale-lock ao-int-5: Fixed",
        "interrupted-spawn ao-int-4: Fixed",
        "lost-session ao-int-1: Fixed",
        "broken-record ao-int-8: Fixed",
        "orphan-runtime ao-98: Fixed",
        "orphan-worktree /worktrees/agent-orchestrator-77: Fixed",
        `stale-registration ${repoPath}: Fixed`
      ])

      const snapshots = yield* workspaceControl.snapshots
      const saved = (path: string) => snapshots.find((snapshot) => snapshot.worktreePath === path)
      expect(saved(worktreeOf("77"))?.ref).toMatch(/^refs\/ao\/snapshots\/ao-77\//)
      expect(new TextDecoder().decode(saved(worktreeOf("77"))?.files.get("notes.md"))).toBe("keep me")
      expect(saved(worktreeOf("int-4"))?.files.has("half.txt")).toBe(true)
      expect(yield* workspace.exists(worktreeOf("77"))).toBe(false)
      // The interrupted spawn is rolled back as spawn itself would have: no record, runtime or worktree.
      expect((yield* Effect.flip(store.inspect("ao-int-4")))._tag).toBe("SessionNotFound")
      expect(yield* runtime.exists("ao-int-4")).toBe(false)
      expect(yield* eventKinds("ao-int-4")).toContain("spawn-rolled-back")
      // ... and no branch: the one it made held no commit of its own.
      expect(yield* workspaceControl.branches(repoPath)).not.toContain(halfSpawned.branch)
      expect((yield* store.get("ao-int-1")).status).toBe("killed")
      expect(yield* runtime.exists("ao-98")).toBe(false)
      expect(yield* store.locks).toEqual([])

      // The JSON view (ao doctor --json) is valid against its own Schema, repairs included.
      const view = doctorView(yield* diagnose(), results)
      expect(Schema.decodeUnknownSync(DoctorView)(JSON.parse(JSON.stringify(view)))).toEqual(view)
      expect(view.repairs.map((repaired) => repaired.outcome)).toEqual(Array(7).fill("fixed"))
      expect(view).toMatchObject({ ok: false, findings: [{ kind: "orphan-runtime", subject: "ao-99", fixable: false }] })

      // Only what a person must decide is left: the running tmux session nobody recorded.
      expect(summary(yield* diagnose())).toEqual(["orphan-runtime ao-99"])
      expect(yield* runtime.exists("ao-99")).toBe(true)
    }).pipe(
      inWorld({
        staleLocks: [{ id: "ao-int-5", holderPid: 4242 }],
        broken: [{ id: "ao-int-8", path: "/sessions/ao-int-8.json", problem: "truncated", salvage: {} }]
      })
    )
  )

  it.effect("re-checks each finding before acting: what changed since the report is skipped", () =>
    Effect.gen(function* () {
      const runtimeControl = yield* MemoryRuntimeControl
      const workspaceControl = yield* MemoryWorkspaceControl
      yield* spawnForIssue("INT-1")
      yield* runtimeControl.crash("ao-int-1")
      yield* workspaceControl.deleteWorktree(worktreeOf("int-1"))
      const report = yield* diagnose()
      // Someone brought it back between the report and the repair.
      yield* restoreSession("ao-int-1", { recreate: true })
      const results = yield* repair(report)
      expect(outcomes(results)).toEqual(["lost-session ao-int-1: Skipped", `stale-registration ${repoPath}: Fixed`])
      expect((yield* Effect.flatMap(SessionStore, (store) => store.get("ao-int-1"))).status).toBe("working")
    }).pipe(inWorld())
  )

  it.effect("reports a failed repair and goes on with the others; the worktree stays when its snapshot fails", () =>
    Effect.gen(function* () {
      const workspace = yield* Workspace
      const workspaceControl = yield* MemoryWorkspaceControl
      yield* workspace.create({ repoPath, path: worktreeOf("77"), branch: "stray", baseBranch: "main" })
      yield* workspaceControl.writeFile(worktreeOf("77"), "notes.md", "keep me")
      yield* workspaceControl.failSnapshots("disk full")
      const results = yield* repair(yield* diagnose())
      expect(outcomes(results)).toEqual(["stale-lock ao-int-5: Fixed", "orphan-worktree /worktrees/agent-orchestrator-77: Failed"])
      const failed = results[1]?.outcome
      expect(failed?._tag === "Failed" ? failed.error._tag : undefined).toBe("SnapshotFailed")
      expect(yield* workspace.exists(worktreeOf("77"))).toBe(true)
    }).pipe(inWorld({ staleLocks: [{ id: "ao-int-5", holderPid: 4242 }] }))
  )
})
