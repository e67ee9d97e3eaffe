import {
  applyCleanup,
  CleanupPlanView,
  cleanupPlanView,
  CleanupReportView,
  cleanupReportView,
  ErrorView,
  errorView,
  killSession,
  KillView,
  killView,
  listSessions,
  planCleanup,
  restoreSession,
  RestoreView,
  restoreView,
  SessionListView,
  sessionListView,
  sessionStatus,
  spawnSession,
  SpawnView,
  spawnView,
  StatusView,
  statusView
} from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, JSONSchema, Schema } from "effect"
import { MemoryRuntimeControl } from "../../src/runtime"
import { MemoryTrackerControl } from "../../src/tracker"
import { MemoryWorkspaceControl } from "../../src/workspace"
import { inWorld, spawnForIssue } from "./world-fixture"

/** What a client reads: the view through JSON, checked against its schema. */
const overTheWire = <A, I>(schema: Schema.Schema<A, I>, view: A): A =>
  Schema.decodeUnknownSync(schema)(JSON.parse(JSON.stringify(Schema.encodeSync(schema)(view))))

describe("JSON views", () => {
  it.effect("status is a top-level array a script can select a session's workspace from", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1234")
      yield* Effect.flatMap(MemoryTrackerControl, (tracker) =>
        tracker.setPullRequest({ branch: "int-1234-fix-errors", number: 156, state: "open" })
      )
      const json = overTheWire(StatusView, statusView(yield* sessionStatus({})))
      // jq '.[] | select(.name=="ao-int-1234") | .workspacePath'
      expect(json.find((row) => row.name === "ao-int-1234")?.workspacePath).toBe("/worktrees/agent-orchestrator-int-1234")
      expect(json[0]).toMatchObject({
        name: "ao-int-1234",
        project: "agent-orchestrator",
        projectName: "Agent Orchestrator",
        issue: "INT-1234",
        branch: "int-1234-fix-errors",
        status: "working",
        runtimeAlive: true,
        pr: { url: "https://github.com/owner/repo/pull/156", number: 156, state: "open" },
        lastActivity: "1970-01-01T00:00:00.000Z",
        agent: "claude",
        broken: false,
        issueInfo: { id: "INT-1234", title: "Fix errors", state: "open" }
      })
    }).pipe(inWorld())
  )

  it.effect("a lookup that could not answer is on the row it concerns, with the reason", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      const tracker = yield* MemoryTrackerControl
      yield* tracker.setPullRequestUnavailable("int-1-fix-errors", "GitHub returned 502 after 3 attempts")
      yield* tracker.setIssueUnavailable("INT-1", "GitHub returned 502 after 3 attempts")
      const json = overTheWire(StatusView, statusView(yield* sessionStatus({})))
      expect(json.map((row) => [row.name, "warnings" in row ? row.warnings : null])).toEqual([
        [
          "ao-int-1",
          [
            { about: "pr", reason: "GitHub returned 502 after 3 attempts" },
            { about: "issue", reason: "GitHub returned 502 after 3 attempts" }
          ]
        ],
        ["ao-int-2", []]
      ])
    }).pipe(inWorld())
  )

  it.effect("ls lists broken records after the sessions, marked broken", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const json = overTheWire(SessionListView, sessionListView(yield* listSessions({ includeEnded: false })))
      expect(json.map((entry) => [entry.name, entry.broken])).toEqual([
        ["ao-int-1", false],
        ["ao-x", true]
      ])
      expect(json[1]).toEqual({
        name: "ao-x",
        project: null,
        status: "unreadable",
        path: "/sessions/ao-x.json",
        problem: "truncated",
        workspacePath: null,
        broken: true
      })
    }).pipe(inWorld({ broken: [{ id: "ao-x", path: "/sessions/ao-x.json", problem: "truncated", salvage: {} }] }))
  )

  it.effect("cleanup explains each criterion and each failure by tag and message", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      const runtime = yield* MemoryRuntimeControl
      yield* runtime.crash("ao-int-1")
      yield* runtime.crash("ao-int-2")
      yield* Effect.flatMap(MemoryTrackerControl, (tracker) =>
        tracker.setPullRequest({ branch: "int-1-fix-errors", number: 3, state: "merged" })
      )
      const plan = yield* planCleanup({})
      expect(overTheWire(CleanupPlanView, cleanupPlanView(plan)).wouldClean).toEqual([
        { name: "ao-int-1", project: "agent-orchestrator", criteria: ["pr-merged", "runtime-dead"], reasons: ["PR merged", "runtime dead"] },
        { name: "ao-int-2", project: "agent-orchestrator", criteria: ["runtime-dead"], reasons: ["runtime dead"] }
      ])
      const workspace = yield* MemoryWorkspaceControl
      yield* workspace.writeFile("/worktrees/agent-orchestrator-int-2", "wip.txt", "wip")
      yield* workspace.failSnapshots("disk full")
      const report = overTheWire(CleanupReportView, cleanupReportView(plan, yield* applyCleanup(plan)))
      expect(report.failed).toEqual([
        { name: "ao-int-1", error: expect.objectContaining({ tag: "SnapshotFailed" }) },
        { name: "ao-int-2", error: expect.objectContaining({ tag: "SnapshotFailed" }) }
      ])
      expect(report.failed[0]?.error.message).toContain("disk full")
    }).pipe(inWorld())
  )

  it.effect("kill, spawn and restore say what they did", () =>
    Effect.gen(function* () {
      yield* Effect.flatMap(MemoryTrackerControl, (tracker) => tracker.setIssue({ id: "INT-1", title: "Fix errors" }))
      const spawned = overTheWire(SpawnView, spawnView(yield* spawnSession({ projectId: "agent-orchestrator", issueId: "INT-1" })))
      expect(spawned).toEqual({
        name: "ao-int-1",
        project: "agent-orchestrator",
        issue: "INT-1",
        branch: "int-1-fix-errors",
        workspacePath: "/worktrees/agent-orchestrator-int-1",
        agent: "claude",
        status: "working",
        createdAt: "1970-01-01T00:00:00.000Z",
        branchExisted: false,
        supersedes: null,
        warnings: []
      })
      const killed = overTheWire(KillView, killView(yield* killSession("ao-int-1")))
      expect(killed).toMatchObject({ name: "ao-int-1", killed: true, runtimeKilled: true, worktreeRemoved: true, snapshotRef: null })
      const restored = overTheWire(RestoreView, restoreView(yield* restoreSession("ao-int-1", { recreate: true })))
      expect(restored).toMatchObject({
        name: "ao-int-1",
        status: "working",
        restoredAt: "1970-01-01T00:00:00.000Z",
        worktreeRecreated: true,
        snapshotApplied: false,
        attach: ["memory-runtime", "-S", "/memory/tmux-0/default", "attach", "ao-int-1"]
      })
    }).pipe(inWorld())
  )

  it.effect("an error says what happened and what to do next", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(killSession("ao-int-404"))
      expect(overTheWire(ErrorView, errorView(error))).toEqual({
        error: { tag: "SessionNotFound", message: "Session not found", hint: "List sessions to find the correct name: ao session ls" }
      })
    }).pipe(inWorld())
  )

  it("every view has a JSON Schema for the OpenAPI document", () => {
    const views: ReadonlyArray<Schema.Schema.Any> = [
      StatusView,
      SessionListView,
      CleanupPlanView,
      CleanupReportView,
      KillView,
      SpawnView,
      RestoreView,
      ErrorView
    ]
    for (const schema of views) expect(JSONSchema.make(schema)).toHaveProperty("$schema")
  })
})
