import {
  createSandbox,
  engineContainers,
  engineRequest,
  importTestImage,
  type PrivateDockerd,
  type Sandbox,
  startPrivateDockerd
} from "@ao/e2e-harness"
import { chmod, readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/** An agent that runs every line it reads as a bash command, so the test can act inside the container. */
const SHELL_AGENT = `#!/usr/bin/env bash
echo "shell agent: mode=$1 cwd=$PWD uid=$(id -u)"
while IFS= read -r line; do
  bash -c "$line" 2>&1
  echo "status=$?"
done
`

describe("runtime: docker, with no engine answering", () => {
  it("spawn fails naming the engine and what to do, and leaves nothing behind", async () => {
    const sandbox = await createSandbox({
      projectId: "demo",
      config: (paths) =>
        [
          "projects:",
          "  demo:",
          `    path: ${JSON.stringify(paths.repo)}`,
          "    sessionPrefix: demo",
          "    tracker: none",
          `    agent: { launch: [${JSON.stringify(paths.agentScript)}, launch], resume: [${JSON.stringify(paths.agentScript)}, resume] }`,
          "    runtime: docker",
          "    docker: { image: agent:1 }",
          ""
        ].join("\n"),
      env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" }
    })
    try {
      const spawned = await sandbox.ao(["spawn", "demo"])
      expect(spawned.exitCode).toBe(1)
      expect(spawned.stderr).toContain(
        "the Docker engine at unix:///nonexistent/docker.sock could not create session demo-s1: it does not answer: the socket does not exist; start dockerd, or point DOCKER_HOST (or the project's docker.engine) at a running engine"
      )
      expect(spawned.stderr).not.toMatch(/\bat .*\.js:\d+/)
      expect(await sandbox.tmuxSessions()).toEqual([])
      expect(await sandbox.worktrees()).toEqual([])
    } finally {
      await sandbox.dispose()
    }
  }, 180_000)
})

/**
 * The docker runtime end to end, on a private dockerd the test starts
 * itself (never the machine's engine): the built `ao` runs each agent in a
 * container of its own through a host tmux pane.
 */
describe.sequential("runtime: docker, end to end", () => {
  let engine: PrivateDockerd | undefined
  let sandbox: Sandbox
  let image = ""
  const paneShows = (text: string) => async () => (await sandbox.capturePane("demo-s1")).includes(text)
  const containersOfDemo1 = () => engineContainers(engine as PrivateDockerd, "dev.ao.session=demo-s1")

  beforeAll(async () => {
    const started = await startPrivateDockerd()
    if (started._tag === "Unavailable") {
      console.warn(`skipping the docker e2e tests: ${started.reason}`)
      return
    }
    engine = started.engine
    image = await importTestImage(engine)
    const url = engine.url
    sandbox = await createSandbox({
      projectId: "demo",
      // The project's engine wins over DOCKER_HOST, which points nowhere.
      env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" },
      config: (paths) =>
        [
          "projects:",
          "  demo:",
          `    path: ${JSON.stringify(paths.repo)}`,
          "    defaultBranch: main",
          "    sessionPrefix: demo",
          "    tracker: none",
          // Named claude so ao installs Claude Code's hooks in its worktree; the test fires one as Claude Code would.
          `    agent: { name: claude, launch: [${JSON.stringify(join(paths.root, "bin", "shell-agent"))}, launch], resume: [${JSON.stringify(join(paths.root, "bin", "shell-agent"))}, resume] }`,
          "    runtime: docker",
          "    docker:",
          `      image: ${image}`,
          `      engine: ${JSON.stringify(url)}`,
          "      network: none",
          "      memory: 256m",
          `      mounts: [${JSON.stringify(`${join(paths.root, "bin")}:${join(paths.root, "bin")}:ro`)}]`,
          ""
        ].join("\n")
    })
    const agent = join(sandbox.paths.root, "bin", "shell-agent")
    await writeFile(agent, SHELL_AGENT)
    await chmod(agent, 0o755)
    await writeFile(join(sandbox.paths.home, "secret.txt"), "top secret\n")
  }, 180_000)

  afterAll(async () => {
    await sandbox?.dispose()
    await engine?.stop()
  }, 180_000)

  it("spawns the agent in a container of its own, in the worktree, labelled for the session", async (context) => {
    if (engine === undefined) return context.skip()
    const spawned = await sandbox.ao(["spawn", "demo"])
    expect(spawned.stderr).toBe("")
    expect(spawned.exitCode).toBe(0)
    const worktree = (await sandbox.worktrees())[0] as string
    await sandbox.waitFor("the agent's banner", paneShows(`shell agent: mode=launch cwd=${worktree} uid=${process.getuid?.()}`), 1200)
    expect(await containersOfDemo1()).toEqual([{ name: expect.stringMatching(/^ao-[0-9a-f]{12}-demo-s1$/), state: "running" }])
  }, 180_000)

  it("send reaches the agent; it writes to its worktree but cannot read $HOME outside its mounts", async (context) => {
    if (engine === undefined) return context.skip()
    const worktree = (await sandbox.worktrees())[0] as string
    expect((await sandbox.ao(["send", "demo-s1", `cat ${join(sandbox.paths.home, "secret.txt")}`])).exitCode).toBe(0)
    await sandbox.waitFor("the refused read", paneShows("No such file or directory"), 1200)
    expect((await sandbox.ao(["send", "demo-s1", "echo made-in-container > note.txt"])).exitCode).toBe(0)
    await sandbox.waitFor("the note", async () => (await readFile(join(worktree, "note.txt"), "utf8").catch(() => "")) === "made-in-container\n", 1200)
    const screen = await sandbox.capturePane("demo-s1")
    expect(screen).not.toContain("top secret")
    const listed = await sandbox.ao(["session", "ls", "--json"])
    expect(listed.exitCode).toBe(0)
  }, 180_000)

  it("the agent's hooks report its state from inside the container, where there is no ao", async (context) => {
    if (engine === undefined) return context.skip()
    const worktree = (await sandbox.worktrees())[0] as string
    // As Claude Code does: the installed hook line, through sh, with the payload on stdin.
    const settings = JSON.parse(await readFile(join(worktree, ".claude", "settings.local.json"), "utf8")) as {
      hooks: Record<string, ReadonlyArray<{ hooks: ReadonlyArray<{ command: string }> }>>
    }
    const command = settings.hooks["Notification"]?.at(-1)?.hooks[0]?.command ?? ""
    expect(command).toContain("hook claude Notification")
    const payload = JSON.stringify({ hook_event_name: "Notification", notification_type: "permission_prompt", message: "Claude needs your permission to use Bash" })
    const fire = join(sandbox.paths.root, "bin", "fire-hook")
    await writeFile(fire, `printf '%s' '${payload}' | sh -c '${command.replaceAll("'", `'\\''`)}'\necho "hook-status=$?"\n`)
    expect((await sandbox.ao(["send", "demo-s1", `bash ${fire}`])).exitCode).toBe(0)
    await sandbox.waitFor("the hook to run", paneShows("hook-status=0"), 1200)
    const activity = async () => {
      const listed = await sandbox.ao(["status", "--json"])
      expect(listed.exitCode, listed.stderr).toBe(0)
      return (JSON.parse(listed.stdout) as ReadonlyArray<{ name: string; activity: { state: string; source: string; detail: string | null } }>).find(
        (session) => session.name === "demo-s1"
      )?.activity
    }
    await sandbox.waitFor("the hook's state in status", async () => (await activity())?.source === "hook", 200)
    expect(await activity()).toMatchObject({ state: "waiting", source: "hook", detail: "Claude needs your permission to use Bash" })
  }, 180_000)

  it("restores after the container was removed behind ao's back, on a fresh container", async (context) => {
    if (engine === undefined) return context.skip()
    const [container] = await containersOfDemo1()
    const removed = await engineRequest(engine.socketPath, "DELETE", `/containers/${container?.name}?force=1`)
    expect(removed.status).toBe(204)
    const paneDead = async () => (await sandbox.tmux(["display-message", "-p", "-t", "=demo-s1:", "#{pane_dead}"])).trim() === "1"
    await sandbox.waitFor("the pane to die with its container", paneDead, 1200)
    const doctor = await sandbox.ao(["doctor", "--json"])
    const findings = (JSON.parse(doctor.stdout) as { findings: ReadonlyArray<{ kind: string; subject: string; fixable: boolean }> }).findings
    expect(findings.map(({ kind, subject, fixable }) => ({ kind, subject, fixable }))).toEqual([{ kind: "sandbox-missing", subject: "demo-s1", fixable: false }])
    expect((await sandbox.ao(["doctor"])).stdout).toContain(`its container ${container?.name} is gone`)
    const restored = await sandbox.ao(["session", "restore", "demo-s1"])
    expect(restored.stderr).toBe("")
    expect(restored.exitCode).toBe(0)
    await sandbox.waitFor("the resumed agent", paneShows("shell agent: mode=resume"), 1200)
    expect(await containersOfDemo1()).toEqual([{ name: container?.name, state: "running" }])
  }, 180_000)

  it("kill saves the work and removes the container", async (context) => {
    if (engine === undefined) return context.skip()
    const killed = await sandbox.ao(["session", "kill", "demo-s1"])
    expect(killed.exitCode).toBe(0)
    expect(killed.stdout).toContain("Session demo-s1 killed.")
    expect(await containersOfDemo1()).toEqual([])
    expect(await sandbox.tmuxSessions()).toEqual([])
    expect(await sandbox.worktrees()).toEqual([])
    const [snapshot] = await sandbox.refs("refs/ao/snapshots/demo-s1/")
    expect(snapshot).toBeDefined()
    expect(await sandbox.git(["show", `${snapshot}:note.txt`])).toBe("made-in-container")
  }, 180_000)
})
