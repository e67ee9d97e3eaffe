import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Either, Option } from "effect"
import { decodeConfig, type LoadedConfig } from "../../src/config/config-decoding"

const PATH = "/work/repos/agent-orchestrator.yaml"

const decode = (text: string) => decodeConfig({ path: PATH, text, homeDir: "/home/dev" })

const loaded = (text: string): LoadedConfig => {
  const result = decode(text)
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

const problemOf = (text: string): string => {
  const result = decode(text)
  if (Either.isRight(result)) throw new Error("expected the config to be invalid")
  expect(result.left._tag).toBe("ConfigInvalid")
  expect(result.left.path).toBe(PATH)
  expect(result.left.message).toContain(PATH)
  return result.left.problem
}

describe("decodeConfig: a valid file", () => {
  it("applies every default, expands ~ and resolves paths against the file's directory", () => {
    const config = loaded("projects:\n  agent-orchestrator:\n    path: ./ao\n")
    const [project] = config.projects
    expect(project).toMatchObject({
      id: "agent-orchestrator",
      name: "agent-orchestrator",
      path: "/work/repos/ao",
      defaultBranch: "main",
      sessionPrefix: "ao",
      worktreeDir: "/home/dev/.worktrees",
      tracker: "none",
      scm: "none",
      idleAfterSeconds: 300
    })
    expect(Option.isNone(project!.repo)).toBe(true)
    expect(project!.agent.name).toBe("claude")
    expect(config).toMatchObject({ source: PATH, port: 3000, github: { apiUrl: "https://api.github.com" } })
  })

  it("reads the snapshot block: what is saved before a worktree is removed", () => {
    expect(loaded("projects:\n  a:\n    path: ./a\n").snapshot).toEqual({
      skip: ["node_modules/", ".venv/", "target/", "__pycache__/", ".next/", ".cache/"],
      maxFileBytes: 52428800
    })
    const config = loaded("snapshot:\n  skip: [dist/]\n  maxFileBytes: 1000\nprojects:\n  a:\n    path: ./a\n")
    expect(config.snapshot).toEqual({ skip: ["dist/"], maxFileBytes: 1000 })
    expect(problemOf("snapshot:\n  maxFileBytes: -1\nprojects:\n  a:\n    path: ./a\n")).toContain(
      "snapshot.maxFileBytes (line 2): expected a positive whole number of bytes"
    )
  })

  it("reads the cap on the watcher's GitHub requests per minute, and refuses one that is not a count", () => {
    expect(loaded("projects:\n  a:\n    path: ./a\n").github.watchRequestsPerMinute).toBeUndefined()
    expect(loaded("github:\n  watchRequestsPerMinute: 12\nprojects:\n  a:\n    path: ./a\n").github.watchRequestsPerMinute).toBe(12)
    expect(problemOf("github:\n  watchRequestsPerMinute: 0\nprojects:\n  a:\n    path: ./a\n")).toContain(
      "github.watchRequestsPerMinute (line 2): expected a whole number of requests between 1 and 1000"
    )
  })

  it("reads every setting, with defaults shared by the projects that do not set their own", () => {
    const config = loaded(`
defaults:
  defaultBranch: develop
  agent: codex
  worktreeDir: ~/trees
  idleAfter: 120
github:
  apiUrl: https://github.example.com/api/v3
port: 8080
projects:
  web:
    name: Web site
    repo: acme/web
    path: ~/code/web
    sessionPrefix: w
    tracker: none
    idleAfter: 60
  api:
    path: /srv/api
    repo: acme/api
    defaultBranch: trunk
    worktreeDir: trees
`)
    expect(config.port).toBe(8080)
    expect(config.github.apiUrl).toBe("https://github.example.com/api/v3")
    const [web, api] = config.projects
    // tracker: none leaves the code host alone: the web project's PRs are still looked up on GitHub.
    expect(web).toMatchObject({ name: "Web site", path: "/home/dev/code/web", sessionPrefix: "w", tracker: "none", scm: "github", idleAfterSeconds: 60 })
    expect(web!.defaultBranch).toBe("develop")
    expect(web!.worktreeDir).toBe("/home/dev/trees")
    expect(Option.getOrNull(web!.repo)).toBe("acme/web")
    expect(api).toMatchObject({ sessionPrefix: "api", defaultBranch: "trunk", worktreeDir: "/work/repos/trees", tracker: "github", scm: "github", idleAfterSeconds: 120 })
    expect(api!.agent.name).toBe("codex")
  })

  it("configures the code host (scm) apart from the tracker, in a project or in defaults", () => {
    const config = loaded(`
defaults:
  scm: none
projects:
  issues-only:
    repo: acme/a
    path: a
  prs-only:
    repo: acme/b
    path: b
    scm: github
    tracker: none
`)
    expect(config.projects.map((project) => [project.id, project.tracker, project.scm])).toEqual([
      ["issues-only", "github", "none"],
      ["prs-only", "none", "github"]
    ])
  })

  it("knows the claude, codex and aider presets, and offers all of them to --agent", () => {
    const agents = (name: string) => loaded(`projects:\n  app:\n    path: .\n    agent: ${name}\n`).projects[0]!
    expect(agents("claude").agent).toMatchObject({ launch: ["claude"], resume: ["claude", "--continue"] })
    expect(agents("codex").agent).toMatchObject({ launch: ["codex"], resume: ["codex", "resume", "--last"] })
    const aider = agents("aider")
    expect(aider.agent).toMatchObject({ launch: ["aider"], resume: ["aider", "--restore-chat-history"] })
    expect(Option.getOrNull(aider.agent.promptFlag)).toBe("--message")
    expect(aider.agents.map((agent) => agent.name)).toEqual(["claude", "codex", "aider"])
  })

  it("splits agent commands into argv with quotes and no shell, inline or under `agents`", () => {
    const config = loaded(`
agents:
  reviewer:
    launch: claude --model "opus 4" --append-system-prompt 'Review only; $HOME stays literal'
    resume: [claude, --continue]
projects:
  app:
    path: .
    agent: { launch: "aider --model x", resume: "aider --restore-chat-history", promptFlag: --message }
  lib:
    path: ./lib
    agent: reviewer
`)
    const [app, lib] = config.projects
    expect(app!.agent).toMatchObject({ name: "aider", launch: ["aider", "--model", "x"], resume: ["aider", "--restore-chat-history"] })
    expect(lib!.agent).toMatchObject({
      name: "reviewer",
      launch: ["claude", "--model", "opus 4", "--append-system-prompt", "Review only; $HOME stays literal"],
      resume: ["claude", "--continue"]
    })
    expect(app!.agents.map((agent) => agent.name)).toEqual(["claude", "codex", "aider", "reviewer"])
  })

  it("reads the prompt template inline or from a file (relative to the config), a project's own over the defaults'", () => {
    const dir = mkdtempSync(join(tmpdir(), "ao-prompt-"))
    try {
      writeFileSync(join(dir, "task.md"), "Do {{issue.id}} on {{branch}}")
      const config = decodeConfig({
        path: join(dir, "agent-orchestrator.yaml"),
        homeDir: "/home/dev",
        text: "defaults:\n  prompt: { file: task.md }\nprojects:\n  a:\n    path: ./a\n  b:\n    path: ./b\n    prompt: 'Fix {{issue.title}}'\n  c:\n    path: ./c\n"
      })
      if (Either.isLeft(config)) throw new Error(config.left.message)
      const [a, b] = config.right.projects
      expect(Option.getOrThrow(a!.taskTemplate)).toEqual({ source: join(dir, "task.md"), text: "Do {{issue.id}} on {{branch}}" })
      expect(Option.getOrThrow(b!.taskTemplate)).toEqual({ source: "inline", text: "Fix {{issue.title}}" })
      expect(loaded("projects:\n  a:\n    path: ./a\n").projects[0]!.taskTemplate).toEqual(Option.none())
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("reads a key left empty as not set", () => {
    const [project] = loaded("projects:\n  app:\n    path: .\n    repo:\n    agent:\n").projects
    expect(Option.isNone(project!.repo)).toBe(true)
    expect(project!.agent.name).toBe("claude")
  })
})

describe("decodeConfig: an invalid file names the field, its line and what was expected", () => {
  const cases: ReadonlyArray<readonly [string, string, ReadonlyArray<string>]> = [
    ["a YAML syntax error", "projects:\n  app:\n    path: [unclosed\n", ["not valid YAML", "line"]],
    ["a duplicate key", "projects:\n  app: { path: . }\n  app: { path: . }\n", ["not valid YAML", "Map keys must be unique", "line 3"]],
    ["an empty file", "", ["the file is empty", "projects:"]],
    ["a list at the top", "- projects\n", ["expected a mapping with a `projects:` section"]],
    ["no projects", "port: 3000\n", ["projects", "is required"]],
    ["an unknown top-level key", "projects:\n  app: { path: . }\nprot: 3000\n", ['prot (line 3): unknown key "prot"', "allowed here: projects, defaults"]],
    ["a misspelt project key", "projects:\n  app:\n    path: .\n    sesionPrefix: ap\n", ['projects.app.sesionPrefix (line 4): unknown key "sesionPrefix"', "sessionPrefix"]],
    ["a misspelt defaults key", "defaults:\n  idle: 5\nprojects:\n  app: { path: . }\n", ['defaults.idle (line 2): unknown key "idle"']],
    ["a missing path", "projects:\n  app:\n    name: App\n", ["projects.app.path (line 2): is required"]],
    ["a wrong type", "projects:\n  app:\n    path: .\n    idleAfter: soon\n", ['projects.app.idleAfter (line 4): expected a whole number of seconds greater than 0, got "soon"']],
    ["a bad tracker", "projects:\n  app:\n    path: .\n    tracker: jira\n", ['projects.app.tracker (line 4): expected "github" or "none", got "jira"']],
    ["a bad repo", "projects:\n  app:\n    path: .\n    repo: acme\n", ['projects.app.repo (line 4): expected owner/name, got "acme"']],
    ["a bad port", "port: 70000\nprojects:\n  app: { path: . }\n", ["port (line 1): expected a port number between 1 and 65535, got 70000"]],
    ["a bad session prefix", "projects:\n  app:\n    path: .\n    sessionPrefix: My_App\n", ["projects.app.sessionPrefix (line 4): expected lower-case letters"]],
    ["a bad project id", "projects:\n  -app:\n    path: .\n", ['projects.-app (line 2): invalid project id "-app"']],
    ["an unknown agent", "projects:\n  app:\n    path: .\n    agent: cluade\n", ['projects.app.agent (line 4): unknown agent "cluade"; known agents: claude, codex, aider']],
    ["an agent without resume", "projects:\n  app:\n    path: .\n    agent: { launch: x }\n", ["projects.app.agent.resume (line 4): is required"]],
    ["an unterminated quote", "projects:\n  app:\n    path: .\n    agent: { launch: \"x 'y\", resume: x }\n", ["projects.app.agent.launch (line 4): cannot split the command", "unterminated ' quote"]],
    ["an unknown key in an agent", "projects:\n  app:\n    path: .\n    agent: { launch: x, resume: x, prompt: -p }\n", ['projects.app.agent.prompt (line 4): unknown key "prompt"']],
    ["the github tracker without a repo", "projects:\n  app:\n    path: .\n    tracker: github\n", ["projects.app.tracker (line 4): the github tracker needs the repository: add `repo: owner/name`"]],
    ["the github code host without a repo", "projects:\n  app:\n    path: .\n    scm: github\n", ["projects.app.scm (line 4): the github code host needs the repository: add `repo: owner/name`, or set `scm: none`"]],
    ["a bad code host", "projects:\n  app:\n    path: .\n    scm: gitlab\n", ['projects.app.scm (line 4): expected "github" or "none", got "gitlab"']],
    ["duplicate prefixes", "projects:\n  web:\n    path: .\n    sessionPrefix: x\n  api:\n    path: .\n    sessionPrefix: x\n", ['projects.api.sessionPrefix (line 7): session prefix "x" is already used by project web']],
    ["duplicate derived prefixes", "projects:\n  my-application-one:\n    path: .\n  mobile-app-online:\n    path: .\n", ['projects.mobile-app-online (line 4): session prefix "mao" (derived from the project id) is already used by project my-application-one']]
  ]
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const problem = problemOf(text)
      for (const part of expected) expect(problem).toContain(part)
      expect(problem).not.toMatch(/\n\s+at /)
    })
  }

  it("a prompt template with an unknown placeholder, or a file that cannot be read, is named with its line", () => {
    expect(problemOf("projects:\n  a:\n    path: ./a\n    prompt: 'Fix {{issue.titel}}'\n")).toMatch(
      /^projects\.a\.prompt \(line 4\): unknown placeholder \{\{issue\.titel\}\}; known: \{\{issue\.id\}\}, /
    )
    expect(problemOf("projects:\n  a:\n    path: ./a\n    prompt:\n      file: ./missing.md\n")).toBe(
      "projects.a.prompt (line 4): cannot read the prompt template /work/repos/missing.md (ENOENT); fix the path or write the template inline"
    )
  })

  it("reports every problem at once", () => {
    const problem = problemOf("projects:\n  app:\n    path: .\n    tracker: jira\n    colour: blue\n")
    expect(problem).toContain("projects.app.tracker (line 4)")
    expect(problem).toContain('unknown key "colour"')
  })
})
