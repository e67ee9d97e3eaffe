import {
  killSession,
  listSessions,
  lookupWarnings,
  planCleanup,
  Runtime,
  SessionStore,
  sessionStatus,
  spawnSession
} from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Option, Ref, TestClock } from "effect"
import { MemoryEventLog } from "../../src/event-log"
import { MemoryRuntimeControl } from "../../src/runtime"
import { MemoryTrackerControl } from "../../src/tracker"
import { MemoryWorkspaceControl } from "../../src/workspace"
import { memoryProject } from "../../src/world"
import { inWorld, spawnForIssue } from "./world-fixture"

describe("listSessions", () => {
  it.effect("fails on an unknown project", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(listSessions({ projectId: "my-project", includeEnded: false }))
      expect([error._tag, error.message]).toEqual(["UnknownProject", "Unknown project: my-project"])
    }).pipe(inWorld())
  )

  it.effect("lists by project then name, with the live branch, and asks the runtime once", () =>
    Effect.gen(function* () {
      yield* spawnSession({ projectId: "my-app" })
      yield* spawnForIssue("INT-2")
      yield* spawnForIssue("INT-10")
      yield* Effect.flatMap(MemoryWorkspaceControl, (workspace) =>
        workspace.switchBranch("/worktrees/agent-orchestrator-int-2", "int-2-renamed")
      )
      const runtime = yield* Runtime
      const listings = yield* Ref.make(0)
      // Every session records the same server: one listing of one server.
      const counted = Runtime.of({
        ...runtime,
        list: Effect.zipRight(Ref.update(listings, (n) => n + 1), runtime.list),
        listServers: (servers) =>
          Effect.zipRight(
            Ref.update(listings, (n) => n + new Set(servers.map((server) => server?.address)).size),
            runtime.listServers(servers)
          )
      })
      const listing = yield* listSessions({ includeEnded: false }).pipe(Effect.provideService(Runtime, counted))
      expect(listing.sessions.map((view) => [view.session.id, view.projectName, view.branchDisplay])).toEqual([
        ["ao-int-2", "Agent Orchestrator", "int-2-renamed"],
        ["ao-int-10", "Agent Orchestrator", "int-10-fix-errors"],
        ["ma-s1", "My App", "ao/ma-s1"]
      ])
      expect(yield* Ref.get(listings)).toBe(1)
    }).pipe(inWorld())
  )

  it.effect("shows working, idle after the project's threshold, active when attached, and the runtime-dead marker", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const runtime = yield* MemoryRuntimeControl
      const view = Effect.map(listSessions({ includeEnded: false }), (listing) => listing.sessions[0])
      expect((yield* view)?.status).toBe("working")
      yield* TestClock.adjust("6 minutes")
      const idle = yield* view
      expect([idle?.status, idle && Duration.toMinutes(idle.age)]).toEqual(["idle", 6])
      yield* runtime.print("ao-int-1", "thinking…")
      expect((yield* view)?.status).toBe("working")
      yield* runtime.setAttachedClients("ao-int-1", 1)
      expect((yield* view)?.status).toBe("active")
      yield* runtime.crash("ao-int-1")
      expect(yield* view).toMatchObject({ status: "working", runtimeAlive: false })
    }).pipe(inWorld())
  )

  it.effect("shows the PR from one cached lookup per GitHub project, never for other projects", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      yield* spawnSession({ projectId: "my-app" })
      const tracker = yield* MemoryTrackerControl
      yield* tracker.setPullRequest({ branch: "int-1-fix-errors", number: 156, state: "open" })
      const listing = yield* listSessions({ includeEnded: false })
      expect(listing.sessions.map((view) => Option.map(view.pr, (pr) => pr.url))).toEqual([
        Option.some("https://github.com/owner/repo/pull/156"),
        Option.none(),
        Option.none()
      ])
      const calls = yield* tracker.calls
      expect([calls.pullRequests, calls.freshness]).toEqual([1, ["cached"]])
    }).pipe(inWorld())
  )

  it.effect("looks PRs up on the code host even when issues live in no tracker (scm apart from tracker)", () =>
    Effect.gen(function* () {
      yield* spawnSession({ projectId: "linear-app", issueId: "INT-1234" })
      const tracker = yield* MemoryTrackerControl
      yield* tracker.setPullRequest({ branch: "int-1234", number: 7, state: "open" })
      const listing = yield* listSessions({ includeEnded: false })
      expect(listing.sessions.map((view) => [view.session.id, Option.getOrNull(Option.map(view.pr, (pr) => pr.url))])).toEqual([
        ["la-int-1234", "https://github.com/acme/linear-app/pull/7"]
      ])
    }).pipe(
      inWorld({
        projects: [
          memoryProject({ id: "linear-app", name: "Linear App", repo: "acme/linear-app", sessionPrefix: "la", tracker: "none", scm: "github" })
        ]
      })
    )
  )

  it.effect("--refresh asks the code host afresh instead of reusing cached answers", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* listSessions({ includeEnded: false, refresh: true })
      yield* listSessions({ includeEnded: false })
      expect((yield* Effect.flatMap(MemoryTrackerControl, (tracker) => tracker.calls)).freshness).toEqual(["fresh", "cached"])
    }).pipe(inWorld())
  )

  it.effect("says which PRs could not be looked up, and why: one warning per reason", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      yield* spawnSession({ projectId: "my-app" })
      yield* Effect.flatMap(MemoryTrackerControl, (tracker) => tracker.setUnavailable("GitHub rejected the token (401 Bad credentials)"))
      const listing = yield* listSessions({ includeEnded: false })
      expect(lookupWarnings(listing.sessions)).toEqual([
        {
          about: "pr",
          projectId: "agent-orchestrator",
          sessions: ["ao-int-1", "ao-int-2"],
          reason: "GitHub rejected the token (401 Bad credentials)"
        }
      ])
      const status = yield* sessionStatus({})
      expect(lookupWarnings(status.rows).map((warning) => [warning.about, warning.sessions])).toEqual([
        ["pr", ["ao-int-1", "ao-int-2"]],
        ["issue", ["ao-int-1", "ao-int-2"]]
      ])
    }).pipe(inWorld())
  )

  it.effect("hides ended sessions unless asked, counting them, and lists broken records", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      yield* killSession("ao-int-2")
      const live = yield* listSessions({ includeEnded: false })
      expect([live.sessions.map((view) => view.session.id), live.hiddenEnded]).toEqual([["ao-int-1"], 1])
      expect(live.broken.map((record) => record.id)).toEqual(["ao-x"])
      const all = yield* listSessions({ includeEnded: true })
      expect(all.sessions.map((view) => [view.session.id, view.status, view.branchDisplay])).toEqual([
        ["ao-int-1", "working", "int-1-fix-errors"],
        ["ao-int-2", "killed", "int-2-fix-errors"]
      ])
      expect(all.hiddenEnded).toBe(0)
    }).pipe(inWorld({ broken: [{ id: "ao-x", path: "/sessions/ao-x.json", problem: "truncated", salvage: {} }] }))
  )
})

describe("reads", () => {
  it.effect("ls, status and a cleanup plan write nothing", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(MemoryRuntimeControl, (runtime) => runtime.crash("ao-int-1"))
      const store = yield* SessionStore
      const log = yield* MemoryEventLog
      const before = [yield* store.get("ao-int-1"), (yield* log.events).length]
      yield* listSessions({ includeEnded: true })
      yield* sessionStatus({})
      yield* planCleanup({})
      expect([yield* store.get("ao-int-1"), (yield* log.events).length]).toEqual(before)
    }).pipe(inWorld())
  )
})

describe("sessionStatus", () => {
  it.effect("adds each session's issue state to the listing", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnSession({ projectId: "my-app" })
      yield* Effect.flatMap(MemoryTrackerControl, (tracker) => tracker.setIssue({ id: "INT-1", title: "Fix errors", state: "closed" }))
      const report = yield* sessionStatus({})
      expect(report.rows.map((row) => [row.session.id, Option.map(row.issue, (issue) => issue.state)])).toEqual([
        ["ao-int-1", Option.some("closed")],
        ["ma-s1", Option.none()]
      ])
    }).pipe(inWorld())
  )
})
