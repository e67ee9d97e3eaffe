import { createSandbox, type Sandbox, sandboxConfig, standInBanner } from "@ao/e2e-harness"
import { existsSync } from "node:fs"
import { appendFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

interface ListedSession {
  readonly name: string
  readonly project: string
  readonly workspacePath: string
  readonly status: string
}

/** Session files in AO_HOME, live and archived: what a refused command must not have written. */
const recordsIn = async (aoHome: string): Promise<ReadonlyArray<string>> => {
  const names = await Promise.all(
    ["sessions", "archive"].map((dir) => readdir(join(aoHome, dir)).catch((): Array<string> => []))
  )
  return names.flat()
}

/**
 * A repository's own agent-orchestrator.yaml runs nothing until the user
 * trusts it; reading never needs trust; an edit needs trust again.
 */
describe.sequential("ao trust, end to end", () => {
  let sandbox: Sandbox
  let configPath: string
  const listJson = async (cwd?: string): Promise<ReadonlyArray<ListedSession>> => {
    const result = await sandbox.ao(["session", "ls", "--all", "--json"], cwd === undefined ? {} : { cwd })
    expect(result.stderr).toBe("")
    return JSON.parse(result.stdout) as ReadonlyArray<ListedSession>
  }
  const nothingChanged = async () => {
    expect(await sandbox.tmuxSessions()).toEqual([])
    expect(await sandbox.worktrees()).toEqual([])
    expect(await recordsIn(sandbox.paths.aoHome)).toEqual([])
    expect(await sandbox.git(["branch", "--list", "ao/*"])).toBe("")
  }

  beforeAll(async () => {
    // The config sits in the repository, as a cloned repository would ship it.
    sandbox = await createSandbox({ projectId: "shipped", configLocation: "repo" })
    configPath = sandbox.paths.configPath
  })
  afterAll(async () => {
    await sandbox.dispose()
  })

  it("refuses to spawn from an untrusted repository config, with nothing changed, and says what to run", async () => {
    const result = await sandbox.ao(["spawn", "shipped", "--prompt", "hi"])
    expect(result.exitCode).toBe(1)
    const [headline, hint] = result.stderr.split("\n")
    expect(headline).toContain(`Error: Not running commands from ${configPath}: the file is not trusted yet`)
    expect(headline).toContain(`${sandbox.paths.agentScript} launch`)
    expect(hint).toBe(`Review the file, then run: ao trust ${configPath}`)
    expect(result.stdout).toBe("")
    await nothingChanged()
    const json = await sandbox.ao(["spawn", "shipped", "--json"])
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { tag: "ConfigUntrusted" } })
    await nothingChanged()
  })

  it("reads and lists without trust", async () => {
    expect(await listJson()).toEqual([])
    const projects = await sandbox.ao(["project", "ls", "--json"])
    expect(projects.exitCode).toBe(0)
    expect(JSON.parse(projects.stdout)).toEqual([
      expect.objectContaining({ id: "shipped", config: configPath, trusted: false })
    ])
  })

  it("ao trust shows the commands it will run, and spawn then works", async () => {
    const trusted = await sandbox.ao(["trust"])
    expect(trusted.stderr).toBe("")
    expect(trusted.exitCode).toBe(0)
    expect(trusted.stdout).toContain(`Trusted ${configPath}`)
    expect(trusted.stdout).toContain(`  shipped · stand-in: ${sandbox.paths.agentScript} launch  (resume: ${sandbox.paths.agentScript} resume)`)
    const spawned = await sandbox.ao(["spawn", "shipped", "--prompt", "hi"])
    expect(spawned.stderr).toBe("")
    expect(spawned.exitCode).toBe(0)
    expect(spawned.stdout.trimEnd().split("\n").at(-1)).toBe("SESSION=shipped-s1")
    await sandbox.waitFor("the agent's banner", async () =>
      (await sandbox.capturePane("shipped-s1")).includes(standInBanner("launch"))
    )
  })

  it("inside the session's worktree, with no global config, commands find the repository's config", async () => {
    const [session] = await listJson()
    if (session === undefined) throw new Error("shipped-s1 is not listed")
    expect(existsSync(join(session.workspacePath, "agent-orchestrator.yaml"))).toBe(false)
    expect((await listJson(session.workspacePath)).map((listed) => listed.name)).toEqual(["shipped-s1"])
    const status = await sandbox.ao(["status", "--json"], { cwd: join(session.workspacePath) })
    expect(status.exitCode).toBe(0)
  })

  it("an edited config is refused again, for restore too, until it is trusted again", async () => {
    await appendFile(configPath, "# edited\n")
    const spawn = await sandbox.ao(["spawn", "shipped"])
    expect(spawn.exitCode).toBe(1)
    expect(spawn.stderr.split("\n")[1]).toBe(`Review the file, then run: ao trust ${configPath}`)
    expect(await sandbox.tmuxSessions()).toEqual(["shipped-s1"])

    await sandbox.killTmuxServer()
    const recordBefore = await readFile(join(sandbox.paths.aoHome, "sessions", "shipped-s1.json"), "utf8")
    const refused = await sandbox.ao(["session", "restore", "shipped-s1"])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain(`${sandbox.paths.agentScript} resume`)
    expect(await sandbox.tmuxSessions()).toEqual([])
    expect(await readFile(join(sandbox.paths.aoHome, "sessions", "shipped-s1.json"), "utf8")).toBe(recordBefore)

    expect((await sandbox.ao(["trust", configPath])).exitCode).toBe(0)
    const restored = await sandbox.ao(["session", "restore", "shipped-s1"])
    expect(restored.stderr).toBe("")
    expect(restored.exitCode).toBe(0)
    expect(await sandbox.tmuxSessions()).toEqual(["shipped-s1"])
  })

  it("a config ao init writes is trusted as written", async () => {
    const fresh = join(sandbox.paths.root, "fresh")
    await mkdir(fresh)
    await sandbox.git(["init", "--quiet", "-b", "main"], fresh)
    await sandbox.git(["commit", "--quiet", "--allow-empty", "-m", "init"], fresh)
    expect((await sandbox.ao(["init"], { cwd: fresh })).exitCode).toBe(0)
    const listed = await sandbox.ao(["project", "ls", "--json"], { cwd: fresh })
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: "fresh", trusted: true })])
    await appendFile(join(fresh, "agent-orchestrator.yaml"), "# edited\n")
    const edited = await sandbox.ao(["project", "ls", "--json"], { cwd: fresh })
    expect(JSON.parse(edited.stdout)).toEqual([expect.objectContaining({ id: "fresh", trusted: false })])
  })
})

/**
 * A day across two registered repositories, run from repository A, from
 * repository B, from inside a session's worktree and from a directory that
 * is in neither: every command knows both projects and uses each session's
 * own project.
 */
describe.sequential("two registered repositories, from anywhere", () => {
  let sandbox: Sandbox
  let alpha: string
  let beta: string
  let elsewhere: string
  const registry = () => join(sandbox.paths.home, ".config", "ao", "agent-orchestrator.yaml")
  const listJson = async (cwd: string, args: ReadonlyArray<string> = []): Promise<ReadonlyArray<ListedSession>> => {
    const result = await sandbox.ao(["session", "ls", "--json", ...args], { cwd })
    expect(result.stderr).toBe("")
    expect(result.exitCode).toBe(0)
    return JSON.parse(result.stdout) as ReadonlyArray<ListedSession>
  }

  beforeAll(async () => {
    sandbox = await createSandbox({ projectId: "alpha", config: null, configLocation: "repo" })
    alpha = sandbox.paths.repo
    beta = join(sandbox.paths.root, "beta")
    elsewhere = join(sandbox.paths.root, "elsewhere")
    await mkdir(elsewhere)
    await sandbox.git(["init", "--quiet", "-b", "main", beta], sandbox.paths.root)
    await writeFile(join(beta, "README.md"), "# beta\n")
    await sandbox.git(["add", "README.md"], beta)
    await sandbox.git(["commit", "--quiet", "-m", "Initial commit"], beta)
    // The user's own config: which agent every project runs (the stand-in), and no project yet.
    const agentOnly = sandboxConfig()(sandbox.paths)
    await mkdir(join(sandbox.paths.home, ".config", "ao"), { recursive: true })
    await writeFile(
      registry(),
      `defaults:\n  agent: stand-in\n${agentOnly.slice(agentOnly.indexOf("agents:"))}projects: {}\n`
    )
  })
  afterAll(async () => {
    await sandbox.dispose()
  })

  it("ao project add registers each repository in the user's config; ao project ls lists them from anywhere", async () => {
    const first = await sandbox.ao(["project", "add"], { cwd: alpha })
    expect(first.stderr).toBe("")
    expect(first.exitCode).toBe(0)
    expect(first.stdout.split("\n")[0]).toBe("Registered project alpha in ~/.config/ao/agent-orchestrator.yaml.")
    const second = await sandbox.ao(["project", "add", "../beta", "--json"], { cwd: alpha })
    expect(second.exitCode).toBe(0)
    expect(JSON.parse(second.stdout)).toMatchObject({ id: "beta", path: beta, sessionPrefix: "beta", registry: registry() })
    const again = await sandbox.ao(["project", "add", beta], { cwd: elsewhere })
    expect(again.exitCode).toBe(1)
    expect(again.stderr.split("\n")[0]).toContain("already registered as project beta")

    const listed = await sandbox.ao(["project", "ls", "--json"], { cwd: elsewhere })
    expect(listed.exitCode).toBe(0)
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: "alpha", path: alpha, sessionPrefix: "alpha", config: registry(), trusted: true }),
      expect.objectContaining({ id: "beta", path: beta, sessionPrefix: "beta", config: registry(), trusted: true })
    ])
    const text = await sandbox.ao(["project", "ls"], { cwd: elsewhere })
    expect(text.stdout.split("\n")[0]).toMatch(/^PROJECT +PREFIX +REPOSITORY +TRUSTED +CONFIG$/)
    // The registry keeps what the user wrote.
    expect(await readFile(registry(), "utf8")).toContain("defaults:\n  agent: stand-in\n")
  })

  it("spawns B's session from A and A's from B", async () => {
    const fromAlpha = await sandbox.ao(["spawn", "beta", "--prompt", "b work"], { cwd: alpha })
    expect(fromAlpha.stderr).toBe("")
    expect(fromAlpha.stdout.trimEnd().split("\n").at(-1)).toBe("SESSION=beta-s1")
    const fromBeta = await sandbox.ao(["spawn", "alpha", "--prompt", "a work"], { cwd: beta })
    expect(fromBeta.stderr).toBe("")
    expect(fromBeta.stdout.trimEnd().split("\n").at(-1)).toBe("SESSION=alpha-s1")
    expect([...(await sandbox.tmuxSessions())].sort()).toEqual(["alpha-s1", "beta-s1"])
    const betaWorktrees = await sandbox.run("git", ["worktree", "list", "--porcelain"], beta)
    const [betaSession] = await listJson(alpha, ["-p", "beta"])
    expect(betaSession).toMatchObject({ name: "beta-s1", project: "beta" })
    expect(betaWorktrees).toContain(`worktree ${betaSession?.workspacePath}`)
  })

  it("from inside a session's worktree, ls -p and status know both projects", async () => {
    const [betaSession] = await listJson(alpha, ["-p", "beta"])
    if (betaSession === undefined) throw new Error("beta-s1 is not listed")
    const inside = betaSession.workspacePath
    expect((await listJson(inside, ["-p", "alpha"])).map((session) => session.name)).toEqual(["alpha-s1"])
    expect((await listJson(inside)).map((session) => session.name).sort()).toEqual(["alpha-s1", "beta-s1"])
    const status = await sandbox.ao(["status", "-p", "beta", "--json"], { cwd: inside })
    expect(status.exitCode).toBe(0)
    expect((JSON.parse(status.stdout) as ReadonlyArray<{ name: string }>).map((session) => session.name)).toEqual(["beta-s1"])
  })

  it("restores B's crashed session from A, and kills both from a directory in neither repository", async () => {
    await sandbox.tmux(["kill-session", "-t", "=beta-s1"])
    const restored = await sandbox.ao(["session", "restore", "beta-s1"], { cwd: alpha })
    expect(restored.stderr).toBe("")
    expect(restored.exitCode).toBe(0)
    await sandbox.waitFor("beta-s1's agent to resume", async () =>
      (await sandbox.capturePane("beta-s1")).includes(standInBanner("resume"))
    )
    for (const name of ["alpha-s1", "beta-s1"]) {
      const killed = await sandbox.ao(["session", "kill", name], { cwd: elsewhere })
      expect(killed.stderr).toBe("")
      expect(killed.exitCode).toBe(0)
    }
    expect(await sandbox.tmuxSessions()).toEqual([])
    expect(await listJson(elsewhere)).toEqual([])
    expect((await listJson(elsewhere, ["--all", "-p", "beta"])).map((session) => session.status)).toEqual(["killed"])
  })
})
