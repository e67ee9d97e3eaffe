import { execFileSync } from "node:child_process"
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { activityLogContract } from "@ao/adapters-memory/contracts/activity-log"
import { agentHooksContract } from "@ao/adapters-memory/contracts/agent-hooks"
import { taskFileContract } from "@ao/adapters-memory/contracts/task-file"
import { AgentHooks } from "@ao/domain"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { appendActivityLine, PRUNE_ABOVE_BYTES, PRUNE_KEEP_BYTES } from "../src/activity/activity-file"
import { makeActivityLogLayer } from "../src/activity/activity-log"
import { hookCommandLine, makeAgentHooksLayer } from "../src/agents/agent-hooks"
import { hookReaderFor } from "../src/agents/hook-readers"
import { AGENT_ADAPTERS, agentAdapterFor } from "../src/agents/index"
import { makeTaskFile, TaskFileLive } from "../src/agents/task-file"
import { runHook } from "../src/hook/run-hook"
import { tempDir } from "./temp-dir"

const payload = async (name: string): Promise<unknown> =>
  JSON.parse(await readFile(new URL(`./fixtures/claude-hooks/${name}.json`, import.meta.url), "utf8"))

const cleanup: Array<string> = []
afterAll(() => Promise.all(cleanup.map((dir) => rm(dir, { recursive: true, force: true }))))
const freshDir = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  cleanup.push(dir)
  return dir
}

/** Real git, isolated from the user's config. */
const git = (cwd: string, ...args: Array<string>) =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@ao.invalid", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@ao.invalid" }
  })

/** A repository with one commit and a linked worktree, as ao spawn makes them. */
const aWorktree = async () => {
  const root = await freshDir("ao-hooks-")
  const repo = join(root, "repo")
  await mkdir(repo)
  git(repo, "init", "-q", "-b", "main")
  await writeFile(join(repo, "README.md"), "hello\n")
  git(repo, "add", ".")
  git(repo, "commit", "-q", "-m", "init")
  const worktree = join(root, "wt")
  git(repo, "worktree", "add", "-q", "-b", "int-7", worktree)
  return { root, repo, worktree }
}

const AO = ["/usr/bin/node", "/opt/ao/bin/ao.js"]

describe("claude adapter, fed with recorded Claude Code hook payloads", () => {
  const claude = agentAdapterFor("claude")
  const cases: ReadonlyArray<[string, string, ReturnType<typeof claude.readHook>]> = [
    ["SessionStart", "SessionStart", { state: "idle" }],
    ["UserPromptSubmit", "UserPromptSubmit", { state: "working", submitted: true }],
    ["PreToolUse", "PreToolUse", { state: "working", detail: "Bash" }],
    ["PostToolUse", "PostToolUse", { state: "working" }],
    ["Notification", "Notification-permission", { state: "waiting", detail: "Claude needs your permission to use Bash" }],
    ["Notification", "Notification-idle", { state: "idle" }],
    ["Notification", "Notification-legacy-permission", { state: "waiting", detail: "Claude needs your permission to use Write" }],
    ["Notification", "Notification-legacy-idle", { state: "idle" }],
    ["Notification", "Notification-auth", undefined],
    ["Stop", "Stop", { state: "idle" }],
    ["SubagentStop", "SubagentStop", { state: "working" }],
    ["SessionEnd", "SessionEnd", { state: "exited" }]
  ]
  for (const [event, fixture, expected] of cases) {
    it(`${fixture} → ${expected === undefined ? "nothing" : expected.state}, with the transcript it names`, async () => {
      const recorded = (await payload(fixture)) as { readonly transcript_path: string }
      expect(claude.readHook(event, recorded)).toEqual(expected === undefined ? undefined : { ...expected, transcript: recorded.transcript_path })
    })
  }

  it("survives payloads that are missing, malformed or hostile", () => {
    expect(claude.readHook("PreToolUse", undefined)).toEqual({ state: "working" })
    expect(claude.readHook("PreToolUse", { tool_name: 42 })).toEqual({ state: "working" })
    expect(claude.readHook("Notification", "not an object")).toBeUndefined()
    expect(claude.readHook("NoSuchEvent", {})).toBeUndefined()
    const long = claude.readHook("Notification", { notification_type: "permission_prompt", message: `a\u001b[31m\n${"x".repeat(500)}` })
    expect(long?.detail?.length).toBeLessThanOrEqual(200)
    expect(long?.detail).not.toContain("\n")
  })

  it("merges its hooks into existing settings, keeping the user's settings and hooks, replacing an earlier ao entry", () => {
    const settings = claude.hookSettings!
    const command = (event: string) => hookCommandLine(AO, "/data", "claude", event)
    const user = {
      permissions: { allow: ["Bash(npm test:*)"] },
      hooks: { Stop: [{ hooks: [{ type: "command", command: "notify-send done" }] }] }
    }
    const once = settings.merge(user, command) as { permissions: unknown; hooks: Record<string, Array<unknown>> }
    const twice = settings.merge(once, (event) => hookCommandLine(["/new/node", "/new/ao.js"], "/data", "claude", event)) as typeof once
    expect(twice.permissions).toEqual(user.permissions)
    expect(Object.keys(twice.hooks).sort()).toEqual(claude.hookEvents.slice().sort())
    expect(twice.hooks["Stop"]).toEqual([
      { hooks: [{ type: "command", command: "notify-send done" }] },
      { hooks: [{ type: "command", command: hookCommandLine(["/new/node", "/new/ao.js"], "/data", "claude", "Stop") }] }
    ])
    expect(twice.hooks["PreToolUse"]).toEqual([
      { matcher: "*", hooks: [{ type: "command", command: hookCommandLine(["/new/node", "/new/ao.js"], "/data", "claude", "PreToolUse") }] }
    ])
  })
})

describe("the other agents", () => {
  it("codex: its notify program reports a finished turn as idle", () => {
    const codex = agentAdapterFor("codex")
    expect(codex.readHook("notify", { type: "agent-turn-complete", "turn-id": "12", "last-assistant-message": "Done." })).toEqual({ state: "idle" })
    expect(codex.readHook("notify", { type: "something-new" })).toBeUndefined()
    expect(codex.hookSettings).toBeUndefined()
  })

  it("aider and unknown agents have no hooks: the screen decides", () => {
    for (const name of ["aider", "my-script"]) {
      const adapter = agentAdapterFor(name)
      expect(adapter.name).toBe(name)
      expect(adapter.hookSettings).toBeUndefined()
      expect(adapter.readHook("Stop", {})).toBeUndefined()
    }
  })
})

describe("hook command line", () => {
  it("quotes every word a shell could misread", () => {
    expect(hookCommandLine(["/usr/bin/node", "/home/o'neil/my ao/bin/ao.js"], "/data dir", "claude", "Stop")).toBe(
      `[ -z "\${AO_CONTAINER_HOOK:-}" ] || exec "\$AO_CONTAINER_HOOK" claude Stop; AO_HOME='/data dir' /usr/bin/node '/home/o'\\''neil/my ao/bin/ao.js' hook claude Stop`
    )
  })
})

activityLogContract("disk", () => Layer.unwrapScoped(Effect.map(tempDir, (dataDir) => makeActivityLogLayer({ dataDir }))))

agentHooksContract("disk", async () => {
  const { root, worktree } = await aWorktree()
  return { layer: makeAgentHooksLayer({ aoCommand: Option.some(AO), dataDir: join(root, "data") }), workspacePath: worktree }
})

taskFileContract("disk", async () => ({ layer: TaskFileLive, workspacePath: (await aWorktree()).worktree }))

describe("disk TaskFile", () => {
  it("keeps the task file out of git, and refuses a name that is a path", async () => {
    const { repo, worktree } = await aWorktree()
    const files = makeTaskFile()
    await Effect.runPromise(files.write({ workspacePath: worktree, file: ".ao-task.md", text: "the task" }))
    await Effect.runPromise(files.write({ workspacePath: worktree, file: ".ao-task.md", text: "the task again" }))
    expect(git(worktree, "status", "--porcelain")).toBe("")
    const exclude = await readFile(join(repo, ".git/info/exclude"), "utf8")
    expect(exclude.split("\n").filter((line) => line === "/.ao-task.md")).toHaveLength(1)
    const error = await Effect.runPromise(Effect.flip(files.write({ workspacePath: worktree, file: "../escape.md", text: "x" })))
    expect(error.message).toContain("not a plain file name")
  })
})

describe("disk AgentHooks", () => {
  const install = (layer: Layer.Layer<AgentHooks>, workspacePath: string) =>
    Effect.runPromise(Effect.provide(Effect.flatMap(AgentHooks, (hooks) => hooks.install({ agent: "claude", workspacePath })), layer))

  it("writes the settings beside the user's, and keeps them out of git without touching .gitignore", async () => {
    const { repo, root, worktree } = await aWorktree()
    await mkdir(join(worktree, ".claude"))
    await writeFile(join(worktree, ".claude/settings.local.json"), JSON.stringify({ model: "opus" }))
    const layer = makeAgentHooksLayer({ aoCommand: Option.some(AO), dataDir: join(root, "data") })
    await install(layer, worktree)
    await install(layer, worktree)
    const written = JSON.parse(await readFile(join(worktree, ".claude/settings.local.json"), "utf8"))
    expect(written.model).toBe("opus")
    expect(written.hooks.Notification[0].hooks[0].command).toContain("hook claude Notification")
    expect(git(worktree, "status", "--porcelain")).toBe("")
    const exclude = await readFile(join(repo, ".git/info/exclude"), "utf8")
    expect(exclude.split("\n").filter((line) => line === "/.claude/settings.local.json")).toHaveLength(1)
  })

  it("refuses settings that are not JSON, saying which file, and leaves it alone", async () => {
    const { root, worktree } = await aWorktree()
    await mkdir(join(worktree, ".claude"))
    await writeFile(join(worktree, ".claude/settings.local.json"), "{ oops")
    const layer = makeAgentHooksLayer({ aoCommand: Option.some(AO), dataDir: join(root, "data") })
    await expect(install(layer, worktree)).rejects.toThrow(/settings.local.json.*not valid JSON/)
    expect(await readFile(join(worktree, ".claude/settings.local.json"), "utf8")).toBe("{ oops")
  })

  it("installs nothing when the frontend cannot say how to run ao", async () => {
    const { root, worktree } = await aWorktree()
    const layer = makeAgentHooksLayer({ aoCommand: Option.none(), dataDir: join(root, "data") })
    expect(await install(layer, worktree)).toEqual({ installed: false })
  })
})

describe("activity log pruning (on the hook path)", () => {
  it("a log past 256 KiB is cut to its latest whole lines within 32 KiB, the new report last, nothing left beside it", async () => {
    const dataDir = await freshDir("ao-prune-")
    const line = (n: number) => JSON.stringify({ at: "2026-03-04T05:06:07.000Z", state: "working", event: "PreToolUse", detail: `tool ${n}` })
    const lines = Array.from({ length: 4000 }, (_, n) => line(n))
    await mkdir(join(dataDir, "activity"), { recursive: true })
    const path = join(dataDir, "activity", "app-1.jsonl")
    await writeFile(path, `${lines.join("\n")}\n`)
    expect((await readFile(path)).length).toBeGreaterThan(PRUNE_ABOVE_BYTES)
    appendActivityLine(dataDir, "app-1", { at: "2026-03-04T05:06:08.000Z", state: "idle", event: "Stop" })
    const kept = await readFile(path, "utf8")
    expect(kept.length).toBeLessThanOrEqual(PRUNE_KEEP_BYTES)
    expect(kept.length).toBeGreaterThan(PRUNE_KEEP_BYTES - 200)
    const parsed = kept.trimEnd().split("\n").map((text) => JSON.parse(text) as { event: string; detail?: string })
    expect(parsed.at(-1)).toMatchObject({ event: "Stop" })
    expect(parsed.at(-2)).toMatchObject({ detail: "tool 3999" })
    expect(await readdir(join(dataDir, "activity"))).toEqual(["app-1.jsonl"])
    // Below the bound nothing changes.
    appendActivityLine(dataDir, "app-1", { at: "2026-03-04T05:06:09.000Z", state: "working", event: "UserPromptSubmit", submitted: true })
    expect((await readFile(path, "utf8")).startsWith(kept)).toBe(true)
  })
})

describe("runHook (the `ao hook` entry)", () => {
  const invoke = async (dataDir: string, args: Array<string>, env: Record<string, string>, stdin?: string) =>
    runHook({ args, env: { AO_HOME: dataDir, ...env }, cwd: dataDir, now: new Date("2026-03-04T05:06:07.000Z"), stdin: async () => stdin })

  it("appends one line per hook to the session's activity log under AO_HOME", async () => {
    const dataDir = await freshDir("ao-hook-")
    const permission = JSON.stringify(await payload("Notification-permission"))
    expect(await invoke(dataDir, ["claude", "Notification"], { AO_SESSION: "app-int-7" }, permission)).toEqual({ _tag: "Recorded", state: "waiting" })
    await invoke(dataDir, ["claude", "Stop"], { AO_SESSION: "app-int-7" }, "{ not json")
    const lines = (await readFile(join(dataDir, "activity/app-int-7.jsonl"), "utf8")).trim().split("\n").map((line) => JSON.parse(line))
    expect(lines).toEqual([
      {
        at: "2026-03-04T05:06:07.000Z",
        state: "waiting",
        event: "Notification",
        detail: "Claude needs your permission to use Bash",
        transcript: (JSON.parse(permission) as { readonly transcript_path: string }).transcript_path
      },
      { at: "2026-03-04T05:06:07.000Z", state: "idle", event: "Stop" }
    ])
  })

  it("reads each agent's hooks with its adapter's own reader (the entry loads only those), and none for an agent without hooks", () => {
    for (const adapter of AGENT_ADAPTERS) expect(hookReaderFor(adapter.name), adapter.name).toBe(adapter.readHook)
    expect(hookReaderFor("my-agent")("Stop", {})).toBeUndefined()
    expect(agentAdapterFor("my-agent").readHook("Stop", {})).toBeUndefined()
  })

  it("codex passes its payload as an argument", async () => {
    const dataDir = await freshDir("ao-hook-")
    const outcome = await invoke(dataDir, ["codex", "notify", JSON.stringify({ type: "agent-turn-complete" })], { AO_SESSION: "app-1" })
    expect(outcome).toEqual({ _tag: "Recorded", state: "idle" })
  })

  it("does nothing without a session, and refuses a session name that is not one", async () => {
    const dataDir = await freshDir("ao-hook-")
    expect((await invoke(dataDir, ["claude", "Stop"], {}))._tag).toBe("Ignored")
    await expect(invoke(dataDir, ["claude", "Stop"], { AO_SESSION: "../../etc/passwd" })).rejects.toThrow(/not a session name/)
  })
})
