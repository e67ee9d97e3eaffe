import { killSession, Runtime, Session, SessionStore, Workspace } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { MemoryWorkspaceControl } from "../../src/workspace"
import { eventKinds, inWorld, spawnForIssue } from "./world-fixture"

const path = "/worktrees/agent-orchestrator-int-1"

describe("killSession", () => {
  it.effect("fails with SessionNotFound for an unknown name and InvalidSessionName for a path", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(killSession("ao-int-404"))
      expect([missing._tag, missing.message]).toEqual(["SessionNotFound", "Session not found"])
      const invalid = yield* Effect.flip(killSession("../x"))
      expect(invalid._tag).toBe("InvalidSessionName")
    }).pipe(inWorld())
  )

  it.effect("kills the runtime, snapshots the uncommitted work before removing the worktree, and marks killed", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const workspace = yield* MemoryWorkspaceControl
      yield* workspace.writeFile(path, "notes.md", "half done")
      const result = yield* killSession("ao-int-1")
      expect(result).toMatchObject({ id: "ao-int-1", alreadyKilled: false, runtimeKilled: true, worktreeRemoved: true })
      const [snapshot] = yield* workspace.snapshots
      expect(result.snapshotRef).toEqual(Option.some(snapshot?.ref))
      expect(Option.isSome(result.head)).toBe(true)
      expect(snapshot?.files.has("notes.md")).toBe(true)
      expect(yield* Effect.flatMap(Runtime, (runtime) => runtime.exists("ao-int-1"))).toBe(false)
      expect(yield* Effect.flatMap(Workspace, (live) => live.exists(path))).toBe(false)
      const session = yield* Effect.flatMap(SessionStore, (store) => store.get("ao-int-1"))
      expect(session).toMatchObject({ status: "killed", statusReason: "killed by ao session kill", snapshotRef: result.snapshotRef })
      expect((yield* eventKinds("ao-int-1")).slice(3)).toEqual(["runtime-killed", "snapshot-taken", "worktree-removed", "killed"])
    }).pipe(inWorld())
  )

  it.effect("stops when the snapshot fails: the worktree stays and the session is not marked killed", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const workspace = yield* MemoryWorkspaceControl
      yield* workspace.writeFile(path, "notes.md", "precious")
      yield* workspace.failSnapshots("disk full")
      const error = yield* Effect.flip(killSession("ao-int-1"))
      expect(error._tag).toBe("SnapshotFailed")
      expect(error.message).toContain("disk full")
      expect(yield* Effect.flatMap(Workspace, (live) => live.exists(path))).toBe(true)
      expect((yield* Effect.flatMap(SessionStore, (store) => store.get("ao-int-1"))).status).toBe("working")

      // Run again once the snapshot can be taken: the half-done kill completes.
      yield* workspace.allowSnapshots
      const retried = yield* killSession("ao-int-1")
      expect(retried).toMatchObject({ alreadyKilled: false, runtimeKilled: false, worktreeRemoved: true })
      expect(Option.isSome(retried.snapshotRef)).toBe(true)
    }).pipe(inWorld())
  )

  it.effect("refuses a record pointing outside the worktree directory before the agent is touched (issue 10 item 11)", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const store = yield* SessionStore
      yield* store.update("ao-int-1", (current) => Effect.succeed(new Session({ ...current, workspacePath: "/home/dev" })))
      const error = yield* Effect.flip(killSession("ao-int-1"))
      expect(error._tag).toBe("WorkspaceFailed")
      expect(error.message).toContain("outside the worktree directory")
      expect(yield* Effect.flatMap(Runtime, (runtime) => runtime.exists("ao-int-1"))).toBe(true)
      expect((yield* store.get("ao-int-1")).status).toBe("working")
      expect(yield* eventKinds("ao-int-1")).not.toContain("runtime-killed")
    }).pipe(inWorld())
  )

  it.effect("keeps a commit on a detached HEAD even when the tree is clean (issue 10 item 3)", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      const workspace = yield* MemoryWorkspaceControl
      yield* workspace.detachHead(path)
      yield* workspace.writeFile(path, "detached.md", "committed, on no branch")
      const commit = yield* workspace.commitAll(path)
      const result = yield* killSession("ao-int-1")
      const [snapshot] = yield* workspace.snapshots
      expect(result.snapshotRef).toEqual(Option.some(snapshot?.ref))
      expect(snapshot?.head).toBe(commit)
    }).pipe(inWorld())
  )

  it.effect("succeeds again on a killed session, doing nothing more", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* killSession("ao-int-1")
      const again = yield* killSession("ao-int-1")
      expect(again).toEqual({
        id: "ao-int-1",
        alreadyKilled: true,
        runtimeKilled: false,
        worktreeRemoved: false,
        snapshotRef: Option.none(),
        head: Option.none(),
        notSaved: []
      })
      expect((yield* eventKinds("ao-int-1")).filter((kind) => kind === "killed")).toHaveLength(1)
    }).pipe(inWorld())
  )

  it.effect("tears down a broken record from its salvage and the runtime's path, then discards it", () =>
    Effect.gen(function* () {
      const runtime = yield* Runtime
      const workspace = yield* Workspace
      const brokenPath = "/worktrees/agent-orchestrator-int-9"
      yield* workspace.create({ repoPath: "/repos/agent-orchestrator", path: brokenPath, branch: "int-9", baseBranch: "main" })
      yield* runtime.create({ name: "ao-int-9", cwd: brokenPath, argv: ["claude"], env: {} })
      const result = yield* killSession("ao-int-9")
      expect(result).toMatchObject({ alreadyKilled: false, runtimeKilled: true, worktreeRemoved: true })
      expect(yield* workspace.exists(brokenPath)).toBe(false)
      const gone = yield* Effect.flip(Effect.flatMap(SessionStore, (store) => store.inspect("ao-int-9")))
      expect(gone._tag).toBe("SessionNotFound")
      expect(yield* eventKinds("ao-int-9")).toEqual(["runtime-killed", "worktree-removed", "record-discarded"])
    }).pipe(
      inWorld({
        broken: [{ id: "ao-int-9", path: "/sessions/ao-int-9.json", problem: "not JSON", salvage: { projectId: "agent-orchestrator" } }]
      })
    )
  )
})
