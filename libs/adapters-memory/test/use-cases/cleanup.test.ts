import { applyCleanup, listSessions, planCleanup, restoreSession, Runtime, Session, SessionStore } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema, TestClock } from "effect"
import { MemoryRuntimeControl } from "../../src/runtime"
import { MemoryTrackerControl } from "../../src/tracker"
import { MemoryWorkspaceControl } from "../../src/workspace"
import { eventKinds, inWorld, spawnForIssue } from "./world-fixture"

const statusOf = (id: string) => Effect.map(Effect.flatMap(SessionStore, (store) => store.get(id)), (session) => session.status)

describe("cleanup", () => {
  it.effect("finds each criterion with fresh, batched lookups and leaves running work alone", () =>
    Effect.gen(function* () {
      for (const issue of ["INT-1", "INT-2", "INT-3", "INT-4"]) yield* spawnForIssue(issue)
      const tracker = yield* MemoryTrackerControl
      yield* tracker.setPullRequest({ branch: "int-1-fix-errors", number: 156, state: "merged" })
      yield* tracker.setIssue({ id: "INT-2", title: "Fix errors", state: "closed" })
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash("ao-int-3"))
      const before = yield* tracker.calls

      const plan = yield* planCleanup({})
      expect(plan.candidates.map(({ criteria, id, projectId }) => ({ id, projectId, criteria }))).toEqual([
        { id: "ao-int-1", projectId: Option.some("agent-orchestrator"), criteria: ["pr-merged"] },
        { id: "ao-int-2", projectId: Option.some("agent-orchestrator"), criteria: ["issue-closed"] },
        { id: "ao-int-3", projectId: Option.some("agent-orchestrator"), criteria: ["runtime-dead"] }
      ])
      const after = yield* tracker.calls
      expect([after.pullRequests - before.pullRequests, after.issues - before.issues]).toEqual([1, 1])
      expect(after.freshness.at(-1)).toBe("fresh")
      // A plan is a dry run: it changes nothing.
      expect(yield* statusOf("ao-int-1")).toBe("working")

      const report = yield* applyCleanup(plan)
      expect(report.cleaned.map((cleaned) => [cleaned.id, cleaned.criteria])).toEqual([
        ["ao-int-1", ["pr-merged"]],
        ["ao-int-2", ["issue-closed"]],
        ["ao-int-3", ["runtime-dead"]]
      ])
      expect(report.failed).toEqual([])
      expect([yield* statusOf("ao-int-1"), yield* statusOf("ao-int-2"), yield* statusOf("ao-int-3")]).toEqual([
        "done",
        "done",
        "killed"
      ])
      expect(yield* statusOf("ao-int-4")).toBe("working")
      expect(yield* eventKinds("ao-int-1")).toContain("cleaned")
    }).pipe(inWorld())
  )

  it.effect("a merged PR found only by its branch stays on the ended record, so ls --all still links it", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryTrackerControl, (tracker) =>
        tracker.setPullRequest({ branch: "int-1-fix-errors", number: 156, state: "merged" })
      )
      yield* applyCleanup(yield* planCleanup({}))
      const listed = (yield* listSessions({ includeEnded: true })).sessions.map((view) => [
        view.session.id,
        view.status,
        Option.getOrNull(Option.map(view.pr, (pr) => `${pr.url} ${pr.state}`))
      ])
      expect(listed).toEqual([["ao-int-1", "done", "https://github.com/owner/repo/pull/156 merged"]])
    }).pipe(inWorld())
  )

  it.effect("a plan says which lookups could not answer, one warning per reason", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryTrackerControl, (tracker) => tracker.setUnavailable("GitHub returned 502 after 3 attempts"))
      const plan = yield* planCleanup({})
      expect(plan.warnings).toEqual([
        { about: "pr", projectId: "agent-orchestrator", sessions: ["ao-int-1"], reason: "GitHub returned 502 after 3 attempts" },
        { about: "issue", projectId: "agent-orchestrator", sessions: ["ao-int-1"], reason: "GitHub returned 502 after 3 attempts" }
      ])
    }).pipe(inWorld())
  )

  it.effect("skips exited sessions, saying why", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.exitAgent("ao-int-1"))
      yield* Effect.flatMap(MemoryTrackerControl, (tracker) =>
        tracker.setPullRequest({ branch: "int-1-fix-errors", number: 1, state: "merged" })
      )
      const plan = yield* planCleanup({})
      expect(plan.candidates).toEqual([])
      expect(plan.skipped).toEqual([{ id: "ao-int-1", reason: "status is exited" }])
    }).pipe(inWorld())
  )

  it.effect("does not clean on a lookup that could not answer, but still on a dead runtime", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      const tracker = yield* MemoryTrackerControl
      yield* tracker.setUnavailable("API rate limit exceeded")
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash("ao-int-2"))
      const plan = yield* planCleanup({})
      const unknown = "could not check: PR: API rate limit exceeded; issue: API rate limit exceeded"
      expect(plan.unverified).toEqual([
        { id: "ao-int-1", reason: unknown },
        { id: "ao-int-2", reason: unknown }
      ])
      expect(plan.candidates.map((candidate) => [candidate.id, candidate.criteria])).toEqual([["ao-int-2", ["runtime-dead"]]])
    }).pipe(inWorld())
  )

  it.effect("limits itself to one project and refuses an unknown one", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash("ao-int-1"))
      expect((yield* planCleanup({ projectId: "my-app" })).candidates).toEqual([])
      const error = yield* Effect.flip(planCleanup({ projectId: "nope" }))
      expect(error.message).toBe("Unknown project: nope")
    }).pipe(inWorld())
  )

  it.effect("cleans the others when one session fails, and reports the failure with its message", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash("ao-int-1"))
      const plan = yield* planCleanup({})
      expect(plan.candidates.map((candidate) => candidate.id)).toEqual(["ao-1.5", "ao-int-1"])
      const report = yield* applyCleanup(plan)
      expect(report.cleaned.map((cleaned) => cleaned.id)).toEqual(["ao-int-1"])
      expect(report.failed.map(({ id, error }) => [id, error._tag])).toEqual([["ao-1.5", "RuntimeFailed"]])
      expect(report.failed[0]?.error.message).toContain("tmux does not allow '.'")
    }).pipe(
      inWorld({
        // A record tmux cannot host: its teardown fails.
        sessions: [
          Schema.decodeSync(Session)({
            version: 1,
            id: "ao-1.5",
            projectId: "agent-orchestrator",
            issueId: null,
            branch: "ao/ao-1.5",
            workspacePath: "/worktrees/agent-orchestrator-1.5",
            runtimeHandle: "ao-1.5",
            agent: "claude",
            status: "working",
            statusReason: "spawned",
            pr: null,
            createdAt: "1970-01-01T00:00:00.000Z",
            lastActivityAt: "1970-01-01T00:00:00.000Z",
            restoredAt: null,
            snapshotRef: null
          })
        ]
      })
    )
  )

  it.effect("re-checks each candidate: a session restored since the plan is not killed", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      const runtime = yield* MemoryRuntimeControl
      yield* runtime.crash("ao-int-1")
      yield* runtime.crash("ao-int-2")
      yield* Effect.flatMap(MemoryTrackerControl, (tracker) =>
        tracker.setPullRequest({ branch: "int-2-fix-errors", number: 2, state: "merged" })
      )
      const plan = yield* planCleanup({})
      expect(plan.candidates.map((candidate) => candidate.id)).toEqual(["ao-int-1", "ao-int-2"])
      yield* TestClock.adjust("1 minute")
      yield* restoreSession("ao-int-1", { recreate: false })
      yield* restoreSession("ao-int-2", { recreate: false })
      const report = yield* applyCleanup(plan)
      expect(report.cleaned).toEqual([])
      expect(report.skipped).toEqual([
        { id: "ao-int-1", reason: "restored or re-created since the plan" },
        { id: "ao-int-2", reason: "restored or re-created since the plan" }
      ])
      expect([yield* statusOf("ao-int-1"), yield* statusOf("ao-int-2")]).toEqual(["working", "working"])
    }).pipe(inWorld())
  )

  it.effect("skips a candidate whose runtime is running again when cleanup acts", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash("ao-int-1"))
      const plan = yield* planCleanup({})
      yield* Effect.flatMap(Runtime, (runtime) =>
        runtime.create({ name: "ao-int-1", cwd: "/worktrees/agent-orchestrator-int-1", argv: ["claude"], env: {} })
      )
      const report = yield* applyCleanup(plan)
      expect(report).toEqual({ cleaned: [], skipped: [{ id: "ao-int-1", reason: "its runtime is running again" }], failed: [] })
      expect(yield* statusOf("ao-int-1")).toBe("working")
    }).pipe(inWorld())
  )

  it.effect("cleans a broken record whose runtime is gone and reports one still running", () =>
    Effect.gen(function* () {
      yield* Effect.flatMap(Runtime, (runtime) => runtime.create({ name: "ao-y", cwd: "/tmp", argv: ["claude"], env: {} }))
      const plan = yield* planCleanup({})
      expect(plan.candidates.map((candidate) => [candidate.id, candidate.criteria])).toEqual([["ao-x", ["runtime-dead"]]])
      expect(plan.unverified.map((note) => note.id)).toEqual(["ao-y"])
      const report = yield* applyCleanup(plan)
      expect(report.cleaned.map((cleaned) => cleaned.id)).toEqual(["ao-x"])
      const gone = yield* Effect.flip(Effect.flatMap(SessionStore, (store) => store.inspect("ao-x")))
      expect(gone._tag).toBe("SessionNotFound")
      expect(yield* Effect.flatMap(MemoryWorkspaceControl, (workspace) => workspace.removals)).toEqual([
        { path: "/worktrees/x", sessionId: "ao-x", existed: false, snapshotRef: Option.none() }
      ])
    }).pipe(
      inWorld({
        broken: [
          { id: "ao-x", path: "/sessions/ao-x.json", problem: "truncated", salvage: { workspacePath: "/worktrees/x" } },
          { id: "ao-y", path: "/sessions/ao-y.json", problem: "truncated", salvage: {} }
        ]
      })
    )
  )
})
