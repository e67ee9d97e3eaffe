import {
  createSandbox,
  engineContainers,
  engineRequest,
  importTestImage,
  type PrivateDockerd,
  type Sandbox,
  startPrivateDockerd
} from "@ao/e2e-harness"
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync } from "node:fs"
import { chmod, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/** An agent that runs every line it reads as a bash command, so the test can act inside the container. */
const SHELL_AGENT = `#!/usr/bin/env bash
echo "shell agent: mode=$1 cwd=$PWD"
while IFS= read -r line; do
  bash -c "$line" 2>&1
done
`

/**
 * The `clone` workspace mode, on a private dockerd of the test's own that
 * stands in for a remote engine (never the machine's engine): the
 * session's files live in a volume holding a clone, not in the local
 * worktree; kill brings the agent's commits, uncommitted, untracked and
 * ignored files back into the local repository; restore --recreate
 * rebuilds the volume from them.
 */
describe.sequential("runtime: docker, clone workspace on a second engine", () => {
  let engine: PrivateDockerd | undefined
  let sandbox: Sandbox
  let worktree = ""
  let image = ""
  const paneShows = (text: string) => async () => (await sandbox.capturePane("demo-s1")).includes(text)
  const volumesOfDemo1 = async () => {
    const filters = encodeURIComponent(JSON.stringify({ label: ["dev.ao.session=demo-s1"] }))
    const answer = await engineRequest((engine as PrivateDockerd).socketPath, "GET", `/volumes?filters=${filters}`)
    return ((JSON.parse(answer.body) as { Volumes: Array<{ Name: string }> | null }).Volumes ?? []).map((volume) => volume.Name)
  }
  /** Runs a line in the agent and waits for its marker: `$((n+1))` shows the sum only in the output, never in the echo of the line. */
  let step = 0
  const run = async (line: string) => {
    step += 1
    const sent = await sandbox.ao(["send", "demo-s1", `${line}; echo "step-$((${step}*1000+1))"`])
    expect(sent.exitCode).toBe(0)
    await sandbox.waitFor(`step ${step}: ${line}`, paneShows(`step-${step * 1000 + 1}`), 1200)
  }

  beforeAll(async () => {
    const started = await startPrivateDockerd()
    if (started._tag === "Unavailable") {
      console.warn(`skipping the docker clone e2e tests: ${started.reason}`)
      return
    }
    engine = started.engine
    image = await importTestImage(engine)
    const url = engine.url
    sandbox = await createSandbox({
      projectId: "demo",
      env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" },
      config: (paths) =>
        [
          "projects:",
          "  demo:",
          `    path: ${JSON.stringify(paths.repo)}`,
          "    defaultBranch: main",
          "    sessionPrefix: demo",
          "    tracker: none",
          `    agent: { launch: [${JSON.stringify(join(paths.root, "bin", "shell-agent"))}, launch], resume: [${JSON.stringify(join(paths.root, "bin", "shell-agent"))}, resume] }`,
          "    runtime: docker",
          "    docker:",
          `      image: ${image}`,
          `      engine: ${JSON.stringify(url)}`,
          "      workspace: clone",
          "      network: none",
          `      mounts: [${JSON.stringify(`${join(paths.root, "bin")}:${join(paths.root, "bin")}:ro`)}]`,
          ""
        ].join("\n")
    })
    const agent = join(sandbox.paths.root, "bin", "shell-agent")
    await writeFile(agent, SHELL_AGENT)
    await chmod(agent, 0o755)
  }, 180_000)

  afterAll(async () => {
    await sandbox?.dispose()
    await engine?.stop()
  }, 180_000)

  it("spawns the agent on a volume of its own holding a clone at the session branch, not on the local worktree", async (context) => {
    if (engine === undefined) return context.skip()
    const spawned = await sandbox.ao(["spawn", "demo"])
    expect(spawned.stderr).toBe("")
    expect(spawned.exitCode).toBe(0)
    worktree = (await sandbox.worktrees())[0] as string
    await sandbox.waitFor("the agent's banner", paneShows(`shell agent: mode=launch cwd=${worktree}`), 1200)
    const [container] = await engineContainers(engine, "dev.ao.session=demo-s1")
    expect(container?.state).toBe("running")
    const inspected = JSON.parse((await engineRequest(engine.socketPath, "GET", `/containers/${container?.name}/json`)).body) as {
      Mounts: Array<{ Type: string; Source: string; Destination: string; Name?: string }>
    }
    const [volume] = await volumesOfDemo1()
    expect(inspected.Mounts.find((mount) => mount.Destination === worktree)).toMatchObject({ Type: "volume", Name: volume })
    // Nothing of the local repository is bound: the engine could be on another machine.
    expect(inspected.Mounts.filter((mount) => mount.Source.startsWith(sandbox.paths.repo))).toEqual([])
    await run("git rev-parse --abbrev-ref HEAD > /tmp/branch; cat /tmp/branch")
    const branch = (await sandbox.git(["rev-parse", "--abbrev-ref", "HEAD"], worktree)).trim()
    expect(await sandbox.capturePane("demo-s1")).toContain(`\n${branch}\n`)
  }, 180_000)

  it("kill brings back the agent's commit, uncommitted, untracked and ignored files, then removes container and volume", async (context) => {
    if (engine === undefined) return context.skip()
    const branch = (await sandbox.git(["rev-parse", "--abbrev-ref", "HEAD"], worktree)).trim()
    await run(
      "printf 'committed\\n' > work.txt && printf '*.log\\n' > .gitignore && git add work.txt .gitignore && git -c user.name=agent -c user.email=agent@ao.invalid commit -qm 'agent work'"
    )
    await run("printf 'uncommitted\\n' >> work.txt && printf 'untracked\\n' > notes.txt && printf 'ignored bytes\\n' > build.log")
    // The local worktree does not see it: the work lives on the engine until kill.
    expect(existsSync(join(worktree, "notes.txt"))).toBe(false)

    const killed = await sandbox.ao(["session", "kill", "demo-s1"])
    expect(killed.stderr).toBe("")
    expect(killed.exitCode).toBe(0)
    expect(await engineContainers(engine, "dev.ao.session=demo-s1")).toEqual([])
    expect(await volumesOfDemo1()).toEqual([])
    expect(await sandbox.worktrees()).toEqual([])
    // The commit is on the session branch in the local repository, and kept under refs/ao/clones/.
    expect(await sandbox.git(["log", "-1", "--format=%s", branch])).toBe("agent work")
    expect(await sandbox.git(["show", `${branch}:work.txt`])).toBe("committed")
    expect(await sandbox.refs("refs/ao/clones/demo-s1/")).toContain("refs/ao/clones/demo-s1/HEAD")
    // Uncommitted and untracked work is in the session's snapshot, byte for byte.
    const [snapshot] = await sandbox.refs("refs/ao/snapshots/demo-s1/")
    expect(snapshot).toBeDefined()
    expect(await sandbox.git(["show", `${snapshot}:work.txt`])).toBe("committed\nuncommitted")
    expect(await sandbox.git(["show", `${snapshot}:notes.txt`])).toBe("untracked")
    expect(await sandbox.git(["ls-tree", "-r", "--name-only", snapshot ?? ""])).not.toContain("build.log")
  }, 180_000)

  it("restore --recreate rebuilds the volume from the snapshot: every file is back in the container", async (context) => {
    if (engine === undefined) return context.skip()
    const restored = await sandbox.ao(["session", "restore", "demo-s1", "--recreate"])
    expect(restored.stderr).toBe("")
    expect(restored.exitCode).toBe(0)
    await sandbox.waitFor("the resumed agent", paneShows("shell agent: mode=resume"), 1200)
    expect(await volumesOfDemo1()).toHaveLength(1)
    // The ignored file came back from ao's private store into the worktree, and from there into the volume.
    expect(await readFile(join(worktree, "build.log"), "utf8")).toBe("ignored bytes\n")
    await run("cat work.txt notes.txt build.log; git --no-pager log -1 --format=%s")
    const screen = await sandbox.capturePane("demo-s1")
    expect(screen).toContain("committed\nuncommitted\nuntracked\nignored bytes\nagent work\n")
  }, 180_000)

  it("restore after the container was removed behind ao's back loses nothing: the agent's newer work is in the new container, and kill saves it", async (context) => {
    if (engine === undefined) return context.skip()
    await run("printf 'after restore\\n' > later.txt")
    const [container] = await engineContainers(engine, "dev.ao.session=demo-s1")
    expect((await engineRequest(engine.socketPath, "DELETE", `/containers/${container?.name}?force=1`)).status).toBe(204)
    const paneDead = async () => (await sandbox.tmux(["display-message", "-p", "-t", "=demo-s1:", "#{pane_dead}"])).trim() === "1"
    await sandbox.waitFor("the pane to die with its container", paneDead, 1200)
    expect(await volumesOfDemo1()).toHaveLength(1)
    const restored = await sandbox.ao(["session", "restore", "demo-s1"])
    expect(restored.stderr).toBe("")
    expect(restored.exitCode).toBe(0)
    await sandbox.waitFor("the resumed agent", async () => !(await paneDead()) && (await sandbox.capturePane("demo-s1")).includes("mode=resume"), 1200)
    await run("cat later.txt")
    expect(await sandbox.capturePane("demo-s1")).toContain("\nafter restore\n")
    // (Restore replaced the dead session through the runtime's kill, which brought the volume back before making it anew.)
    expect((await sandbox.ao(["session", "kill", "demo-s1"])).exitCode).toBe(0)
    const [latest] = [...(await sandbox.refs("refs/ao/snapshots/demo-s1/"))].sort().reverse()
    expect(await sandbox.git(["show", `${latest}:later.txt`])).toBe("after restore")
    expect(await volumesOfDemo1()).toEqual([])
  }, 180_000)

  it("doctor reports volumes of ours with no session; --fix removes one with nothing in it and keeps one holding files whose worktree is gone", async (context) => {
    if (engine === undefined) return context.skip()
    const socket = engine.socketPath
    const store = createHash("sha256").update(sandbox.paths.aoHome).digest("hex").slice(0, 12)
    const scratch = await mkdtemp(join(tmpdir(), "ao-orphan-volume-"))
    const post = async (path: string, body: unknown) => {
      const file = join(scratch, "body.json")
      await writeFile(file, JSON.stringify(body))
      return engineRequest(socket, "POST", path, file, "application/json")
    }
    // As a clone-mode kill that failed half way, after its worktree went, would leave them.
    for (const session of ["demo-s7", "demo-s8"]) {
      const labels = { "dev.ao.store": store, "dev.ao.session": session, "dev.ao.project": "demo", "dev.ao.workspace": `/gone/${session}` }
      expect((await post("/volumes/create", { Name: `ao-${store}-${session}`, Labels: labels })).status).toBe(201)
    }
    expect((await post("/containers/create?name=filler", { Image: image, Cmd: ["true"], HostConfig: { Binds: [`ao-${store}-demo-s8:/gone/demo-s8`] } })).status).toBe(201)
    await mkdir(join(scratch, "demo-s8"))
    await writeFile(join(scratch, "demo-s8", "work.txt"), "unsaved work\n")
    execFileSync("tar", ["-C", scratch, "-cf", join(scratch, "fill.tar"), "demo-s8"])
    expect((await engineRequest(socket, "PUT", `/containers/filler/archive?path=${encodeURIComponent("/gone")}`, join(scratch, "fill.tar"))).status).toBe(200)
    expect((await engineRequest(socket, "DELETE", "/containers/filler?force=1")).status).toBe(204)

    const doctor = await sandbox.ao(["doctor", "--json"])
    const findings = (JSON.parse(doctor.stdout) as { findings: ReadonlyArray<{ kind: string; subject: string; detail: string; fixable: boolean }> }).findings
    expect(findings.filter((finding) => finding.subject !== "demo-s1").map(({ detail, fixable, kind, subject }) => ({ kind, subject, detail, fixable }))).toEqual([
      { kind: "orphan-runtime", subject: "demo-s7", detail: `no session record names it; left behind: its volume ao-${store}-demo-s7, which may hold the session's work`, fixable: true },
      { kind: "orphan-runtime", subject: "demo-s8", detail: `no session record names it; left behind: its volume ao-${store}-demo-s8, which may hold the session's work`, fixable: true }
    ])
    const fixed = await sandbox.ao(["doctor", "--fix"])
    expect(fixed.stdout + fixed.stderr).toContain(`its worktree /gone/demo-s8 is gone, so the volume ao-${store}-demo-s8 that holds its work is kept`)
    const volumes = async () => {
      const answer = await engineRequest(socket, "GET", `/volumes?filters=${encodeURIComponent(JSON.stringify({ label: [`dev.ao.store=${store}`] }))}`)
      return ((JSON.parse(answer.body) as { Volumes: Array<{ Name: string }> | null }).Volumes ?? []).map((volume) => volume.Name)
    }
    expect(await volumes()).toEqual([`ao-${store}-demo-s8`])
    expect(await engineContainers(engine, `dev.ao.store=${store}`)).toEqual([])
  }, 180_000)
})
