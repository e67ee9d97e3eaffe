import { Projects, SessionStore, listSessions } from "@ao/domain"
import { Cause, Effect, Exit, Option } from "effect"
import { execFileSync } from "node:child_process"
import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { addProject, initConfig, listProjects, makeLiveLayer } from "../src/index"

/** The `_tag` of an expected failure, or what happened instead. */
const failureTag = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>): string =>
  Exit.isSuccess(exit)
    ? "succeeded"
    : Option.match(Cause.failureOption(exit.cause), { onNone: () => Cause.pretty(exit.cause), onSome: (error) => error._tag })

describe("composition root", () => {
  let root: string
  let repo: string
  const env = () => ({ PATH: process.env["PATH"], AO_HOME: join(root, "ao-home"), TMUX_TMPDIR: join(root, "tmux") })
  const where = (cwd: string) => ({ cwd, env: env(), homeDir: join(root, "home") })
  const live = (cwd: string) => makeLiveLayer({ cwd, env: env(), homeDir: join(root, "home"), actor: "test:1" })

  beforeEach(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), "ao-composition-")))
    repo = join(root, "shop-app")
    execFileSync("git", ["init", "--quiet", "-b", "trunk", repo])
    execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "--quiet", "--allow-empty", "-m", "init"])
  })
  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it("fails with ConfigNotFound when the layer is built without a config", async () => {
    expect(failureTag(await Effect.runPromiseExit(Effect.provide(Projects, live(repo))))).toBe("ConfigNotFound")
  })

  it("init writes a config for the repository that the live layer then reads", async () => {
    const written = await Effect.runPromise(initConfig({ ...where(repo), agent: "aider" }))
    expect(written).toMatchObject({
      path: join(repo, "agent-orchestrator.yaml"),
      projectId: "shop-app",
      repoPath: repo,
      defaultBranch: "trunk",
      githubRepo: Option.none(),
      agent: "aider"
    })
    const projects = await Effect.runPromise(
      Effect.provide(Effect.flatMap(Projects, (configured) => configured.list), live(repo))
    )
    expect(projects.map((project) => [project.id, project.defaultBranch, project.agent.name, project.tracker])).toEqual([
      ["shop-app", "trunk", "aider", "none"]
    ])
  })

  it("init makes a repository whose origin is on GitHub a github-tracked project of that repo", async () => {
    execFileSync("git", ["-C", repo, "remote", "add", "origin", "git@github.com:acme/shop-app.git"])
    const written = await Effect.runPromise(initConfig({ ...where(repo), agent: undefined }))
    expect(written.githubRepo).toEqual(Option.some("acme/shop-app"))
    const projects = await Effect.runPromise(
      Effect.provide(Effect.flatMap(Projects, (configured) => configured.list), live(repo))
    )
    expect(projects.map((project) => [project.tracker, Option.getOrNull(project.repo)])).toEqual([["github", "acme/shop-app"]])
  })

  it("the live layer lists sessions from AO_HOME without a GitHub project", async () => {
    await Effect.runPromise(initConfig({ ...where(repo), agent: undefined }))
    const listing = await Effect.runPromise(Effect.provide(listSessions({ includeEnded: true }), live(repo)))
    expect(listing).toMatchObject({ sessions: [], broken: [], hiddenEnded: 0 })
    const names = await Effect.runPromise(Effect.provide(Effect.flatMap(SessionStore, (store) => store.names), live(repo)))
    expect(names).toEqual([])
  })

  it("init never overwrites a config, and refuses an unknown preset or a directory outside git", async () => {
    const path = join(repo, "agent-orchestrator.yaml")
    await writeFile(path, "# mine\n")
    expect(failureTag(await Effect.runPromiseExit(initConfig({ ...where(repo), agent: undefined })))).toBe("ConfigAlreadyExists")
    expect(await readFile(path, "utf8")).toBe("# mine\n")

    expect(failureTag(await Effect.runPromiseExit(initConfig({ ...where(repo), agent: "gpt-9" })))).toBe("InvalidInput")
    expect(failureTag(await Effect.runPromiseExit(initConfig({ ...where(root), agent: undefined })))).toBe("NotAGitRepository")
  })

  it("project add registers a repository under the id its own config gives it, and another under a free prefix", async () => {
    await Effect.runPromise(initConfig({ ...where(repo), agent: undefined }))
    const added = await Effect.runPromise(addProject({ ...where(root), path: repo, id: undefined }))
    expect(added).toMatchObject({ id: "shop-app", sessionPrefix: "shop-app", ownConfig: Option.some(join(repo, "agent-orchestrator.yaml")) })
    const registry = join(root, "home", ".config", "ao", "agent-orchestrator.yaml")
    expect(await readFile(registry, "utf8")).toContain("# ao's registry of projects")

    const committedRepo = (name: string) => {
      const path = join(root, name)
      execFileSync("git", ["init", "--quiet", "-b", "main", path])
      execFileSync("git", ["-C", path, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "--quiet", "--allow-empty", "-m", "init"])
      return path
    }
    const other = committedRepo("sa")
    const second = await Effect.runPromise(addProject({ ...where(root), path: other, id: "Sa" }))
    expect(second).toMatchObject({ id: "Sa", sessionPrefix: "sa", ownConfig: Option.none() })
    // "SA" would get the prefix "sa" too: it gets a free one.
    const third = await Effect.runPromise(addProject({ ...where(root), path: committedRepo("third"), id: "SA" }))
    expect(third).toMatchObject({ id: "SA", sessionPrefix: "sa2" })

    const listed = await Effect.runPromise(listProjects(where(root)))
    expect(listed.map((project) => [project.id, project.sessionPrefix, project.config, project.trusted])).toEqual([
      ["shop-app", "shop-app", join(repo, "agent-orchestrator.yaml"), true],
      ["Sa", "sa", registry, true],
      ["SA", "sa2", registry, true]
    ])
    expect(failureTag(await Effect.runPromiseExit(addProject({ ...where(root), path: other, id: "again" })))).toBe("InvalidInput")
  })
})
