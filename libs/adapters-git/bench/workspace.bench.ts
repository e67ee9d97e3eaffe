import { Workspace } from "@ao/domain"
import { Effect, Exit, Scope } from "effect"
import { tmpdir } from "node:os"
import { afterAll, bench, describe } from "vitest"
import { makeGitWorkspaceLive } from "../src/index"
import { isolateGitFromUser, makeGitFixture, TEST_SNAPSHOT_SETTINGS } from "../test/git-fixture"

/**
 * What the Workspace costs on this machine: `ao session ls` reads the branch
 * of every session, kill snapshots and removes, spawn creates.
 * Run: cd libs/adapters-git && npx vitest bench --run
 */
isolateGitFromUser()

const WORKTREES = 50
const scope = Effect.runSync(Scope.make())
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

const setup = Effect.gen(function* () {
  const fixture = yield* makeGitFixture
  const paths = Array.from({ length: WORKTREES }, (_, i) => fixture.pathFor(`ao-${i}`))
  yield* Effect.forEach(paths, (path, i) =>
    fixture.workspace.create({ repoPath: fixture.repoPath, path, branch: `ao/ao-${i}`, baseBranch: "main" })
  )
  const dirty = paths[0] ?? ""
  yield* Effect.forEach(Array.from({ length: 10 }, (_, i) => i), (i) => fixture.writeFile(dirty, `dir/file-${i}.txt`, `work ${i}\n`))
  return { fixture, paths, dirty }
})

const run = <A, E>(effect: Effect.Effect<A, E, Workspace>): Promise<void> =>
  Effect.runPromise(Effect.asVoid(Effect.provide(effect, makeGitWorkspaceLive({ dataDir: tmpdir(), settings: TEST_SNAPSHOT_SETTINGS }))))

describe("GitWorkspace", async () => {
  const { fixture, paths, dirty } = await Effect.runPromise(Scope.extend(setup, scope))
  let n = 0

  bench(`currentBranch of ${WORKTREES} worktrees (ls)`, () =>
    run(Effect.flatMap(Workspace, (workspace) => Effect.forEach(paths, workspace.currentBranch, { concurrency: "unbounded" })))
  )

  bench("state of one worktree", () => run(Effect.flatMap(Workspace, (workspace) => workspace.state(dirty))))

  bench("snapshot of a worktree with 10 untracked files", () =>
    run(Effect.flatMap(Workspace, (workspace) => workspace.snapshot({ path: dirty, sessionId: "bench" })))
  )

  bench("create and remove a clean worktree", () =>
    run(
      Effect.gen(function* () {
        const workspace = yield* Workspace
        const i = n++
        const path = fixture.pathFor(`cycle-${i}`)
        yield* workspace.create({ repoPath: fixture.repoPath, path, branch: `cycle-${i}`, baseBranch: "main" })
        yield* workspace.remove({ path, sessionId: `cycle-${i}`, repoPath: fixture.repoPath })
      })
    )
  )
})
