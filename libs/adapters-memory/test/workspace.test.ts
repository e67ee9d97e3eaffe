import { Workspace } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Option } from "effect"
import { type WorkspaceFixture, workspaceContract } from "../src/contracts/workspace"
import { MemoryWorkspace, MemoryWorkspaceControl } from "../src/workspace"

const makeFixture = Effect.gen(function* () {
  const context = yield* Layer.build(MemoryWorkspace.layer)
  const control = Context.get(context, MemoryWorkspaceControl)
  const fixture: WorkspaceFixture = {
    workspace: Context.get(context, Workspace),
    repoPath: "/repo",
    baseBranch: "main",
    pathFor: (name) => `/worktrees/${name}`,
    writeFile: control.writeFile,
    deleteFile: control.deleteFile,
    readFile: control.readFile,
    commitAll: (path) => Effect.asVoid(control.commitAll(path)),
    switchToNewBranch: control.switchBranch,
    detachHead: control.detachHead,
    deleteWorktree: control.deleteWorktree,
    occupy: control.occupy,
    breakSnapshots: control.failSnapshots("the disk is full"),
    interruptRemoval: control.interruptRemoval
  }
  return fixture
})

workspaceContract("in memory", makeFixture)

describe("MemoryWorkspace", () => {
  const spec = { repoPath: "/repo", path: "/worktrees/ao-1", branch: "ao/ao-1", baseBranch: "main" }

  it.effect("counts commits not on the upstream once the branch is pushed", () =>
    Effect.gen(function* () {
      const workspace = yield* Workspace
      const control = yield* MemoryWorkspaceControl
      yield* workspace.create(spec)
      yield* control.writeFile(spec.path, "a.txt", "a")
      yield* control.commitAll(spec.path)
      yield* control.push(spec.path)
      expect((yield* workspace.state(spec.path)).unpushed).toBe(0)
      yield* control.writeFile(spec.path, "b.txt", "b")
      yield* control.commitAll(spec.path)
      yield* control.writeFile(spec.path, "c.txt", "c")
      yield* control.commitAll(spec.path)
      expect((yield* workspace.state(spec.path)).unpushed).toBe(2)
    }).pipe(Effect.provide(MemoryWorkspace.layer)))

  it.effect("lets tests inspect snapshots, their files and the removals", () =>
    Effect.gen(function* () {
      const workspace = yield* Workspace
      const control = yield* MemoryWorkspaceControl
      yield* workspace.create(spec)
      yield* control.writeFile(spec.path, "work.txt", "unsaved")
      const removal = yield* workspace.remove({ path: spec.path, sessionId: "ao-1" })
      const [snapshot] = yield* control.snapshots
      expect(snapshot?.ref).toBe(Option.getOrThrow(removal.snapshotRef))
      expect(snapshot?.ref).toBe("refs/ao/snapshots/ao-1/19700101T000000000Z")
      expect(snapshot?.files.get("work.txt")).toEqual(new TextEncoder().encode("unsaved"))
      expect(yield* control.removals).toEqual([
        { path: spec.path, sessionId: "ao-1", existed: true, snapshotRef: removal.snapshotRef }
      ])
      expect(yield* control.worktrees).toEqual([])
      expect(yield* control.branches("/repo")).toEqual(["ao/ao-1", "main"])
    }).pipe(Effect.provide(MemoryWorkspace.layer)))

  it.effect("refuses a branch already checked out in another worktree", () =>
    Effect.gen(function* () {
      const workspace = yield* Workspace
      yield* workspace.create(spec)
      const error = yield* Effect.flip(workspace.create({ ...spec, path: "/worktrees/other" }))
      expect(error.detail).toContain("already checked out at /worktrees/ao-1")
    }).pipe(Effect.provide(MemoryWorkspace.layer)))
})
