import {
  applyCleanup,
  diagnose,
  killSession,
  listSessions,
  planCleanup,
  repair,
  restoreSession,
  sendMessage,
  SessionStore,
  Workspace
} from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { MemoryRuntimeControl } from "../../src/runtime"
import { inWorld, spawnForIssue } from "./world-fixture"

const SERVER_A = "/memory/tmux-0/default"
const SERVER_B = "/elsewhere/tmux-0/default"
const path = "/worktrees/agent-orchestrator-int-1"

const recordOf = (id: string) => Effect.flatMap(SessionStore, (store) => store.get(id))
const worktreeExists = Effect.flatMap(Workspace, (workspace) => workspace.exists(path))

describe("a session's runtime server (issue 10, item 8)", () => {
  it.effect("spawn records the server; from another default server the session is listed, kept by cleanup and killed where it runs", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      expect((yield* recordOf("ao-int-1")).runtimeServer).toMatchObject({ address: SERVER_A })
      const runtime = yield* MemoryRuntimeControl
      yield* runtime.useDefaultServer(SERVER_B)

      const listed = yield* listSessions({ includeEnded: false })
      expect(listed.sessions.map((view) => [view.session.id, view.status, view.runtimeAlive])).toEqual([["ao-int-1", "working", true]])

      const plan = yield* planCleanup({})
      expect(plan.candidates).toEqual([])
      yield* applyCleanup(plan)
      expect((yield* recordOf("ao-int-1")).status).toBe("working")
      expect(yield* worktreeExists).toBe(true)

      const killed = yield* killSession("ao-int-1")
      expect([killed.runtimeKilled, killed.worktreeRemoved]).toEqual([true, true])
    }).pipe(inWorld())
  )

  it.effect("a server that runs but cannot be asked is unknown: listed so, kept by cleanup, reported by doctor and never fixed, and kill, restore and send refuse", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const runtime = yield* MemoryRuntimeControl
      yield* runtime.setReachable(SERVER_A, false)

      const [view] = (yield* listSessions({ includeEnded: false })).sessions
      expect(view?.runtimeUnknown._tag).toBe("Some")
      expect(view?.status).toBe("working")

      const plan = yield* planCleanup({})
      expect(plan.candidates).toEqual([])
      expect(plan.unverified).toEqual([{ id: "ao-int-1", reason: expect.stringContaining("kept: runtime unknown: the tmux server at /memory/tmux-0/default") }])

      const report = yield* diagnose()
      const found = report.findings.filter((finding) => finding.subject === "ao-int-1")
      expect(found.map((finding) => [finding.kind, finding.repair._tag])).toEqual([["runtime-unknown", "None"]])
      yield* repair(report)

      const refusals = [
        yield* Effect.flip(killSession("ao-int-1")),
        yield* Effect.flip(restoreSession("ao-int-1", { recreate: false })),
        yield* Effect.flip(sendMessage("ao-int-1", "hi"))
      ]
      for (const error of refusals) {
        expect(error._tag).toBe("RuntimeFailed")
        expect(error.message).toContain("runtime unknown")
      }
      expect((yield* recordOf("ao-int-1")).status).toBe("working")
      expect(yield* worktreeExists).toBe(true)

      // Once it answers again, everything works as before.
      yield* runtime.setReachable(SERVER_A, true)
      expect((yield* killSession("ao-int-1")).runtimeKilled).toBe(true)
    }).pipe(inWorld())
  )

  it.effect("a recorded server that is gone is dead: cleanup's runtime-dead criterion applies and restore starts it there again", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const runtime = yield* MemoryRuntimeControl
      const before = (yield* recordOf("ao-int-1")).runtimeServer
      yield* runtime.stopServer
      yield* runtime.useDefaultServer(SERVER_B)
      const plan = yield* planCleanup({})
      expect(plan.candidates.map((candidate) => [candidate.id, candidate.criteria])).toEqual([["ao-int-1", ["runtime-dead"]]])

      yield* restoreSession("ao-int-1", { recreate: false })
      const after = (yield* recordOf("ao-int-1")).runtimeServer
      expect(after?.address).toBe(SERVER_A)
      expect(after?.pid).not.toBe(before?.pid)
    }).pipe(inWorld())
  )
})
