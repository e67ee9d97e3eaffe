import { execFileSync } from "node:child_process"
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { agentAdapterFor } from "../src/agents/index"
import { agentAdapterContract, type RecordedHook } from "./agent-adapter-contract"

const cleanup: Array<string> = []
afterAll(() => Promise.all(cleanup.map((dir) => rm(dir, { recursive: true, force: true }))))

const git = (cwd: string, ...args: Array<string>) =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@ao.invalid", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@ao.invalid" }
  })

/** A repository with one commit and a linked worktree, as ao spawn makes them. */
const worktree = async () => {
  const root = await mkdtemp(join(tmpdir(), "ao-adapter-"))
  cleanup.push(root)
  const repo = join(root, "repo")
  await mkdir(repo)
  git(repo, "init", "-q", "-b", "main")
  await writeFile(join(repo, "README.md"), "hello\n")
  git(repo, "add", ".")
  git(repo, "commit", "-q", "-m", "init")
  git(repo, "worktree", "add", "-q", "-b", "int-7", join(root, "wt"))
  return join(root, "wt")
}

const fixture = async (path: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(new URL(`./fixtures/${path}.json`, import.meta.url), "utf8")) as Record<string, unknown>

const claudeHooks: ReadonlyArray<RecordedHook> = await Promise.all(
  (
    [
      ["SessionStart", "SessionStart", { state: "idle" }],
      ["UserPromptSubmit", "UserPromptSubmit", { state: "working", submitted: true }],
      ["PreToolUse", "PreToolUse", { state: "working", detail: "Bash" }],
      ["Notification", "Notification-permission", { state: "waiting", detail: "Claude needs your permission to use Bash" }],
      ["Notification", "Notification-auth", undefined],
      ["Stop", "Stop", { state: "idle" }],
      ["SessionEnd", "SessionEnd", { state: "exited" }]
    ] as const
  ).map(async ([event, name, reading]) => {
    const payload = await fixture(`claude-hooks/${name}`)
    return { event, payload, reading: reading === undefined ? undefined : { ...reading, transcript: payload["transcript_path"] as string } }
  })
)

agentAdapterContract(agentAdapterFor("claude"), { hooks: claudeHooks, worktree })

agentAdapterContract(agentAdapterFor("codex"), {
  hooks: [
    { event: "notify", payload: await fixture("codex-notify/agent-turn-complete"), reading: { state: "idle" } },
    { event: "notify", payload: { type: "approval-requested", message: "run npm test?" }, reading: { state: "waiting", detail: "run npm test?" } }
  ],
  worktree
})

agentAdapterContract(agentAdapterFor("aider"), { hooks: [], worktree })
