import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Projects } from "@ao/domain"
import { Effect, Layer } from "effect"
import { AoConfig, loadConfig, makeConfigLayer } from "../../src/config/config-layer"
import type { AoEnvironment } from "../../src/environment"
import { tempDir } from "../temp-dir"

/** A temp home with a repository at home/work/repo/sub. */
const sandbox = Effect.gen(function* () {
  const root = yield* tempDir
  const home = join(root, "home")
  const sub = join(home, "work", "repo", "sub")
  yield* Effect.promise(() => mkdir(sub, { recursive: true }))
  const environment = (env: AoEnvironment["env"] = {}, cwd = sub): AoEnvironment => ({ cwd, env, homeDir: home })
  const put = (path: string, projectId: string) =>
    Effect.promise(async () => {
      await mkdir(join(path, ".."), { recursive: true })
      await writeFile(path, `projects:\n  ${projectId}:\n    path: .\n`)
    })
  return { root, home, sub, environment, put }
})

const sourceOf = (environment: AoEnvironment) => Effect.map(loadConfig(environment), (config) => config.source)

describe("config discovery", () => {
  it.scoped("walks up from the current directory to the nearest agent-orchestrator.yaml", () =>
    Effect.gen(function* () {
      const { environment, home, put } = yield* sandbox
      yield* put(join(home, "work", "agent-orchestrator.yaml"), "outer")
      yield* put(join(home, "work", "repo", "agent-orchestrator.yaml"), "inner")
      const config = yield* loadConfig(environment())
      expect(config.source).toBe(join(home, "work", "repo", "agent-orchestrator.yaml"))
      expect(config.projects[0]?.path).toBe(join(home, "work", "repo"))
    })
  )

  it.scoped("AO_CONFIG_PATH wins over the directories, relative to the current directory", () =>
    Effect.gen(function* () {
      const { environment, home, put, sub } = yield* sandbox
      yield* put(join(home, "work", "repo", "agent-orchestrator.yaml"), "walked")
      yield* put(join(sub, "custom.yaml"), "explicit")
      expect(yield* sourceOf(environment({ AO_CONFIG_PATH: "custom.yaml" }))).toBe(join(sub, "custom.yaml"))
      const missing = yield* Effect.flip(sourceOf(environment({ AO_CONFIG_PATH: "/nowhere/ao.yaml" })))
      expect(missing).toMatchObject({ _tag: "ConfigNotFound", searched: ["/nowhere/ao.yaml"] })
    })
  )

  it.scoped("falls back to the global config under XDG_CONFIG_HOME, else ~/.config/ao", () =>
    Effect.gen(function* () {
      const { environment, home, put, root } = yield* sandbox
      yield* put(join(home, ".config", "ao", "agent-orchestrator.yaml"), "global")
      yield* put(join(root, "xdg", "ao", "agent-orchestrator.yaml"), "xdg")
      expect(yield* sourceOf(environment())).toBe(join(home, ".config", "ao", "agent-orchestrator.yaml"))
      expect(yield* sourceOf(environment({ XDG_CONFIG_HOME: join(root, "xdg") }))).toBe(
        join(root, "xdg", "ao", "agent-orchestrator.yaml")
      )
      // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
      expect(yield* sourceOf(environment({ XDG_CONFIG_HOME: "xdg" }))).toBe(join(home, ".config", "ao", "agent-orchestrator.yaml"))
    })
  )

  it.scoped("no config anywhere is ConfigNotFound, listing the places searched, with the ao init hint", () =>
    Effect.gen(function* () {
      const { environment, home, sub } = yield* sandbox
      const failure = yield* Effect.flip(loadConfig(environment()))
      expect(failure._tag).toBe("ConfigNotFound")
      if (failure._tag !== "ConfigNotFound") return
      expect(failure.message).toBe("No agent-orchestrator.yaml found")
      expect(failure.hint).toBe("Run: ao init")
      expect(failure.searched[0]).toBe(join(sub, "agent-orchestrator.yaml"))
      expect(failure.searched).toContain(join(home, "agent-orchestrator.yaml"))
      expect(failure.searched.at(-1)).toBe(join(home, ".config", "ao", "agent-orchestrator.yaml"))
    })
  )

  it.scoped("a config that cannot be read is ConfigInvalid naming it", () =>
    Effect.gen(function* () {
      const { environment, sub } = yield* sandbox
      yield* Effect.promise(() => mkdir(join(sub, "agent-orchestrator.yaml")))
      const failure = yield* Effect.flip(loadConfig(environment()))
      expect(failure).toMatchObject({ _tag: "ConfigInvalid", path: join(sub, "agent-orchestrator.yaml") })
      expect(failure.message).toContain("cannot be read")
    })
  )
})

describe("makeConfigLayer", () => {
  it.scoped("provides Projects and AoConfig from the file found", () =>
    Effect.gen(function* () {
      const { environment, home, put } = yield* sandbox
      const path = join(home, "work", "repo", "agent-orchestrator.yaml")
      yield* put(path, "app")
      const context = yield* Layer.build(makeConfigLayer(environment()))
      const { projects, config } = yield* Effect.all({ projects: Projects, config: AoConfig }).pipe(Effect.provide(context))
      expect(projects.source).toBe(path)
      expect((yield* projects.list).map((project) => project.id)).toEqual(["app"])
      expect((yield* projects.get("app")).sessionPrefix).toBe("app")
      const unknown = yield* Effect.flip(projects.get("web"))
      expect(unknown).toMatchObject({ _tag: "UnknownProject", projectId: "web", known: ["app"] })
      expect(config.port).toBe(3000)
    })
  )

  it.scoped("fails to build with ConfigInvalid for a broken file", () =>
    Effect.gen(function* () {
      const { environment, sub } = yield* sandbox
      yield* Effect.promise(() => writeFile(join(sub, "agent-orchestrator.yaml"), "projects:\n  app:\n    pth: .\n"))
      const failure = yield* Effect.flip(Layer.build(makeConfigLayer(environment())))
      expect(failure._tag).toBe("ConfigInvalid")
      expect(failure.message).toContain('projects.app.pth (line 3): unknown key "pth"')
    })
  )
})

describe("combining the registry with repository configs", () => {
  const entry = (id: string, path: string, prefix: string, extra = "") =>
    `  ${id}:\n    path: ${JSON.stringify(path)}\n    sessionPrefix: ${prefix}\n${extra}`

  it.scoped("knows the registry's projects and the repository's own, the repository's overriding an id it shares", () =>
    Effect.gen(function* () {
      const { environment, home } = yield* sandbox
      const repo = join(home, "work", "repo")
      const other = join(home, "work", "other")
      const globalPath = join(home, ".config", "ao", "agent-orchestrator.yaml")
      yield* Effect.promise(async () => {
        await mkdir(join(home, ".config", "ao"), { recursive: true })
        await mkdir(other, { recursive: true })
        await writeFile(globalPath, `projects:\n${entry("repo", repo, "r")}${entry("other", other, "o")}`)
        await writeFile(join(repo, "agent-orchestrator.yaml"), `projects:\n${entry("repo", ".", "rr", "    defaultBranch: trunk\n")}`)
        await writeFile(join(other, "agent-orchestrator.yaml"), `projects:\n${entry("other", ".", "oo")}port: 4000\n`)
      })
      const config = yield* loadConfig(environment())
      expect(config.projects.map((project) => [project.id, project.sessionPrefix, project.path])).toEqual([
        ["repo", "rr", repo],
        ["other", "oo", other]
      ])
      expect(config.sourceOf("repo")).toMatchObject({ path: join(repo, "agent-orchestrator.yaml"), own: false })
      expect(config.sourceOf("other")).toMatchObject({ path: join(other, "agent-orchestrator.yaml"), own: false })
      // Settings beyond projects come from the nearest file, not from another registered repository's.
      expect(config.source).toBe(join(repo, "agent-orchestrator.yaml"))
      expect(config.port).toBe(3000)
      // From a directory in no repository: the registry, with each registered repository's own config.
      const outside = yield* loadConfig(environment({}, join(home)))
      expect(outside.source).toBe(globalPath)
      expect(outside.projects.map((project) => project.sessionPrefix)).toEqual(["rr", "oo"])
      expect(outside.sourceOf("repo")?.path).toBe(join(repo, "agent-orchestrator.yaml"))
    })
  )

  it.scoped("the registry's own entries are the user's own config; a prefix shared across files is ConfigInvalid naming both", () =>
    Effect.gen(function* () {
      const { environment, home, sub } = yield* sandbox
      const globalPath = join(home, ".config", "ao", "agent-orchestrator.yaml")
      yield* Effect.promise(async () => {
        await mkdir(join(home, ".config", "ao"), { recursive: true })
        await writeFile(globalPath, `projects:\n${entry("web", join(home, "web"), "app")}`)
        await writeFile(join(sub, "agent-orchestrator.yaml"), `projects:\n${entry("api", ".", "api")}`)
      })
      const config = yield* loadConfig(environment())
      expect(config.sourceOf("web")).toMatchObject({ path: globalPath, own: true })
      expect(config.sourceOf("api")?.own).toBe(false)
      yield* Effect.promise(() => writeFile(join(sub, "agent-orchestrator.yaml"), `projects:\n${entry("api", ".", "app")}`))
      const clash = yield* Effect.flip(loadConfig(environment()))
      expect(clash).toMatchObject({ _tag: "ConfigInvalid", path: join(sub, "agent-orchestrator.yaml") })
      expect(clash.message).toContain(`session prefix "app" of project api is already used by project web (${globalPath})`)
    })
  )

  it.scoped("inside a linked worktree, the main working tree's config is found", () =>
    Effect.gen(function* () {
      const { environment, home, put } = yield* sandbox
      const repo = join(home, "work", "repo")
      const worktree = join(home, ".worktrees", "repo-1")
      yield* put(join(repo, "agent-orchestrator.yaml"), "repo")
      // What `git worktree add` leaves: a .git file pointing into the main repository's .git/worktrees/<name>.
      yield* Effect.promise(async () => {
        await mkdir(join(repo, ".git", "worktrees", "repo-1"), { recursive: true })
        await writeFile(join(repo, ".git", "worktrees", "repo-1", "commondir"), "../..\n")
        await mkdir(join(worktree, "src"), { recursive: true })
        await writeFile(join(worktree, ".git"), `gitdir: ${join(repo, ".git", "worktrees", "repo-1")}\n`)
      })
      const config = yield* loadConfig(environment({}, join(worktree, "src")))
      expect(config.source).toBe(join(repo, "agent-orchestrator.yaml"))
    })
  )
})
