import { type WorkspaceFixture } from "@ao/adapters-memory/contracts/workspace"
import { afterAll, beforeAll } from "@effect/vitest"
import { Effect, Option } from "effect"
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { GitClient } from "../src/git-client"
import { makeGitWorkspace } from "../src/git-workspace"
import type { SnapshotSettings } from "../src/kept-files"

/**
 * Real git in temp directories, never the user's: for this test file's
 * process HOME and the global config point into a temp directory, with an
 * identity so commits work, and the system config is ignored.
 */
export const isolateGitFromUser = () => {
  const saved = { HOME: process.env.HOME, GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM: process.env.GIT_CONFIG_NOSYSTEM }
  let home = ""
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "ao-git-home-"))
    await writeFile(join(home, ".gitconfig"), "[user]\n\tname = ao test\n\temail = test@ao.invalid\n")
    Object.assign(process.env, { HOME: home, GIT_CONFIG_GLOBAL: join(home, ".gitconfig"), GIT_CONFIG_NOSYSTEM: "1" })
  })
  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    await rm(home, { recursive: true, force: true })
  })
}

/** A temp directory removed when the scope closes. */
export const tempDirectory = (prefix: string) =>
  Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), prefix))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )

/** Runs git for a test; a failure is a broken test setup, so a defect. */
export const git = (...args: ReadonlyArray<string>) =>
  Effect.orDie(Effect.flatMap(GitClient, (client) => client.run(args))).pipe(Effect.provide(GitClient.Default))

export const readIfPresent = (path: string) =>
  Effect.promise(() => readFile(path).then((bytes) => Option.some(new Uint8Array(bytes)), () => Option.none<Uint8Array>()))

/** What the tests' snapshots leave out, like the config's `snapshot:` block. */
export const TEST_SNAPSHOT_SETTINGS: SnapshotSettings = { skip: ["node_modules/", ".venv/"], maxFileBytes: 1024 * 1024 }

/**
 * The workspace over a git whose `git worktree remove` dies halfway, as a crash
 * of ao in the middle of it leaves things: `lose` (under the worktree) deleted,
 * the rest still there, nothing after it run.
 */
export const workspaceCrashingInRemove = (savedDir: string, lose: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const real = yield* GitClient
    const crashing = GitClient.make({
      run: (args, options) => {
        if (args.includes("worktree") && args.includes("remove")) {
          const path = args.at(-1) ?? ""
          return Effect.zipRight(
            Effect.promise(() => Promise.all(lose.map((file) => rm(join(path, file), { recursive: true, force: true })))),
            Effect.die(new Error("crashed in the middle of git worktree remove"))
          )
        }
        return real.run(args, options)
      }
    })
    return yield* Effect.provideService(makeGitWorkspace({ savedDir, settings: TEST_SNAPSHOT_SETTINGS }), GitClient, crashing)
  }).pipe(Effect.provide(GitClient.Default))

/** A repository with one commit on main, worktrees beside it, all in one temp directory. */
export const makeGitFixture = Effect.gen(function* () {
  const root = yield* tempDirectory("ao-git-")
  const repoPath = join(root, "repo")
  yield* git("init", "--quiet", "--initial-branch=main", repoPath)
  yield* Effect.promise(() => writeFile(join(repoPath, "README.md"), "# project\n"))
  yield* git("-C", repoPath, "add", "README.md")
  yield* git("-C", repoPath, "commit", "--quiet", "-m", "initial")
  const savedDir = join(root, "saved")
  const workspace = yield* Effect.provide(makeGitWorkspace({ savedDir, settings: TEST_SNAPSHOT_SETTINGS }), GitClient.Default)
  const fixture: WorkspaceFixture & { readonly root: string; readonly savedDir: string } = {
    root,
    savedDir,
    workspace,
    repoPath,
    baseBranch: "main",
    pathFor: (name) => join(root, "worktrees", name),
    writeFile: (worktree, file, content) =>
      Effect.promise(async () => {
        await mkdir(dirname(join(worktree, file)), { recursive: true })
        await writeFile(join(worktree, file), content)
      }),
    deleteFile: (worktree, file) => Effect.promise(() => rm(join(worktree, file))),
    readFile: (worktree, file) => readIfPresent(join(worktree, file)),
    commitAll: (worktree) =>
      Effect.asVoid(Effect.zipRight(git("-C", worktree, "add", "--all"), git("-C", worktree, "commit", "--quiet", "-m", "work"))),
    switchToNewBranch: (worktree, branch) => Effect.asVoid(git("-C", worktree, "switch", "--quiet", "-c", branch)),
    detachHead: (worktree) => Effect.asVoid(git("-C", worktree, "switch", "--quiet", "--detach")),
    deleteWorktree: (worktree) => Effect.promise(() => rm(worktree, { recursive: true, force: true })),
    occupy: (path) =>
      Effect.promise(async () => {
        await mkdir(path, { recursive: true })
        await writeFile(join(path, "notes.txt"), "not a worktree\n")
      }),
    // A ref named like the snapshot directory: git can no longer create any ref beneath it.
    breakSnapshots: Effect.asVoid(git("-C", repoPath, "update-ref", "refs/ao/snapshots", "HEAD")),
    interruptRemoval: (target) =>
      Effect.flatMap(workspaceCrashingInRemove(savedDir, [".git", "tracked.txt"]), (crashing) => Effect.asVoid(Effect.exit(crashing.remove(target))))
  }
  return fixture
})

/** PATH emptied for the scope: any git process started meanwhile fails to spawn. */
export const withoutPath = Effect.acquireRelease(
  Effect.sync(() => {
    const saved = process.env.PATH
    process.env.PATH = ""
    return saved
  }),
  (saved) =>
    Effect.sync(() => {
      process.env.PATH = saved
    })
)
