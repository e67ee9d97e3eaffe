import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option } from "effect"
import { decodeConfig } from "../../src/config/config-decoding"
import { projectIdFromDirectory, renderInitialConfig, writeInitialConfig } from "../../src/config/initial-config"
import { derivePrefix } from "../../src/config/session-prefix"
import { tempDir } from "../temp-dir"

describe("derivePrefix", () => {
  it.each([
    ["agent-orchestrator", "ao"],
    ["my-app", "my-app"],
    ["my_cool.app", "mca"],
    ["myApp", "ma"],
    ["api", "api"],
    ["docs", "docs"],
    ["backend", "backend"],
    ["Website2", "web"],
    ["v2-api", "v2-api"],
    ["a-very-long-project", "avlp"]
  ])("%s → %s", (projectId, prefix) => {
    expect(derivePrefix(projectId)).toBe(prefix)
  })
})

describe("projectIdFromDirectory", () => {
  it.each([
    ["agent-orchestrator", "agent-orchestrator"],
    ["My Project (copy)", "My-Project-copy"],
    ["..weird..name..", "weird.name"],
    ["日本", "project"]
  ])("%s → %s", (directory, id) => {
    expect(projectIdFromDirectory(directory)).toBe(id)
  })
})

describe("renderInitialConfig", () => {
  const decodeRendered = (text: string) => {
    const result = decodeConfig({ path: "/repos/agent-orchestrator/agent-orchestrator.yaml", text, homeDir: "/home/dev" })
    if (Either.isLeft(result)) throw new Error(result.left.message)
    return result.right.projects
  }

  it("writes a commented config that loads as the project it describes", () => {
    const text = renderInitialConfig({ directoryName: "agent-orchestrator", defaultBranch: "trunk", agent: "codex", repo: "acme/ao" })
    expect(text).toContain("# ")
    const [project] = decodeRendered(text)
    expect(project).toMatchObject({
      id: "agent-orchestrator",
      path: "/repos/agent-orchestrator",
      defaultBranch: "trunk",
      sessionPrefix: "ao",
      worktreeDir: "/home/dev/.worktrees",
      tracker: "github",
      scm: "github"
    })
    expect(Option.getOrNull(project!.repo)).toBe("acme/ao")
    expect(project!.agent.name).toBe("codex")
  })

  it("leaves repo commented out and the tracker off without a GitHub remote", () => {
    const text = renderInitialConfig({ directoryName: "my app", defaultBranch: "main", agent: "claude" })
    expect(text).toContain("# repo: owner/name")
    const [project] = decodeRendered(text)
    expect(project).toMatchObject({ id: "my-app", sessionPrefix: "my-app", tracker: "none", scm: "none" })
    expect(Option.isNone(project!.repo)).toBe(true)
  })

  it("means what its comment says: uncommenting repo turns on PR and issue lookups", () => {
    const text = renderInitialConfig({ directoryName: "my app", defaultBranch: "main", agent: "claude" })
    const [project] = decodeRendered(text.replace("# repo: owner/name", "repo: acme/my-app"))
    expect(project).toMatchObject({ tracker: "github", scm: "github" })
    expect(Option.getOrNull(project!.repo)).toBe("acme/my-app")
  })
})

describe("writeInitialConfig", () => {
  it.scoped("writes a new file and refuses to overwrite an existing one", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const path = join(dir, "agent-orchestrator.yaml")
      yield* writeInitialConfig(path, "projects: {}\n")
      expect(yield* Effect.promise(() => readFile(path, "utf8"))).toBe("projects: {}\n")
      yield* Effect.promise(() => writeFile(path, "mine\n"))
      const failure = yield* Effect.flip(writeInitialConfig(path, "projects: {}\n"))
      expect(failure).toMatchObject({ _tag: "ConfigAlreadyExists", path })
      expect(yield* Effect.promise(() => readFile(path, "utf8"))).toBe("mine\n")
    })
  )
})
