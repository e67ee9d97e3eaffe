import { transcriptsContract } from "@ao/adapters-memory/contracts/transcripts"
import { Transcripts } from "@ao/domain"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer, Option } from "effect"
import { agentAdapterFor } from "../src/agents/index"
import { makeTranscripts, TRANSCRIPT_WINDOWS, TranscriptsLive } from "../src/agents/transcripts"

const cleanup: Array<string> = []
afterAll(() => Promise.all(cleanup.map((dir) => rm(dir, { recursive: true, force: true }))))
const freshDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "ao-transcripts-"))
  cleanup.push(dir)
  return dir
}

const FIXTURE = new URL("./fixtures/claude-transcript.jsonl", import.meta.url)

/** One transcript entry as Claude Code writes it. */
const entry = (role: "user" | "assistant", text: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: role,
    uuid: `u-${Math.random()}`,
    sessionId: "s",
    isSidechain: false,
    message: role === "user" ? { role, content: text } : { role, model: "claude-sonnet-4-5", content: [{ type: "text", text }] },
    ...extra
  })

const lastMessageAt = (path: string, transcripts = makeTranscripts()) =>
  Effect.runPromise(transcripts.lastMessage({ agent: "claude", path }))

describe("claude transcript reading, on a recorded Claude Code transcript", () => {
  const claude = agentAdapterFor("claude")

  it("the last assistant text, as one line: thinking, tool calls, tool results, subagents' and system lines skipped", async () => {
    const lines = (await readFile(FIXTURE, "utf8")).split("\n")
    expect(claude.lastMessage?.(lines)).toBe(
      "Fixed the login form: it posted to `/api/logn`. - Corrected the endpoint in `src/login.ts` - Added a test Opened PR #12, which closes #7."
    )
  })

  it("nothing before Claude said anything; a cut or broken line is skipped, not fatal", () => {
    expect(claude.lastMessage?.([entry("user", "fix it")])).toBeUndefined()
    expect(claude.lastMessage?.([entry("assistant", "Earlier reply."), '{"type":"assistant","message":{"content":[{"type":"te', ""])).toBe("Earlier reply.")
  })

  it("a long or hostile reply stays one short printable line", () => {
    const said = claude.lastMessage?.([entry("assistant", `\u001b[2J\u001b]0;title\u0007Done\r\n${"x".repeat(1000)}`)])
    expect(said?.startsWith("Done x")).toBe(true)
    expect(said?.length).toBeLessThanOrEqual(160)
    expect(said).not.toMatch(/[\u0000-\u001f\u007f]/)
  })

  it("hooks name the transcript; a relative or missing path is not kept", () => {
    expect(claude.readHook("Stop", { transcript_path: "/home/dev/.claude/projects/app/s.jsonl" })).toEqual({
      state: "idle",
      transcript: "/home/dev/.claude/projects/app/s.jsonl"
    })
    expect(claude.readHook("Stop", { transcript_path: "relative.jsonl" })).toEqual({ state: "idle" })
    expect(agentAdapterFor("codex").lastMessage).toBeUndefined()
  })
})

describe("disk Transcripts: a bounded read from the end", () => {
  it("reads the recorded transcript through the live layer", async () => {
    const dir = await freshDir()
    const path = join(dir, "s.jsonl")
    await writeFile(path, await readFile(FIXTURE))
    const said = await Effect.runPromise(
      Effect.provide(Effect.flatMap(Transcripts, (transcripts) => transcripts.lastMessage({ agent: "claude", path })), TranscriptsLive)
    )
    expect(Option.getOrThrow(said)).toMatch(/^Fixed the login form/)
  })

  it("a long transcript is read only from its end: an early reply beyond the largest window is never seen", async () => {
    const dir = await freshDir()
    const path = join(dir, "long.jsonl")
    const largest = TRANSCRIPT_WINDOWS[TRANSCRIPT_WINDOWS.length - 1] ?? 0
    // An early reply, then more than the largest window of tool output with no reply in it.
    const filler = entry("user", "y".repeat(4000))
    const count = Math.ceil(largest / filler.length) + 2
    await writeFile(path, [entry("assistant", "Early reply."), ...Array.from({ length: count }, () => filler), ""].join("\n"))
    expect(await lastMessageAt(path)).toEqual(Option.none())
    // A reply just before a tool output larger than the first window is found in the second.
    await writeFile(path, [entry("assistant", "Early reply."), entry("assistant", "Latest reply."), entry("user", "z".repeat(100_000)), ""].join("\n"))
    expect(await lastMessageAt(path)).toEqual(Option.some("Latest reply."))
  })

  it("no summary from what is not a regular file, or for an agent whose transcript ao cannot read", async () => {
    const dir = await freshDir()
    const fifo = join(dir, "fifo.jsonl")
    execFileSync("mkfifo", [fifo])
    expect(await lastMessageAt(fifo)).toEqual(Option.none())
    expect(await lastMessageAt(dir)).toEqual(Option.none())
    await writeFile(join(dir, "s.jsonl"), `${entry("assistant", "Done.")}\n`)
    expect(await Effect.runPromise(makeTranscripts().lastMessage({ agent: "aider", path: join(dir, "s.jsonl") }))).toEqual(Option.none())
  })
})

transcriptsContract("disk", async () => {
  const dir = await freshDir()
  let written = 0
  return {
    layer: Layer.succeed(Transcripts, makeTranscripts()),
    missing: join(dir, "missing.jsonl"),
    write: async (messages) => {
      const path = join(dir, `${++written}.jsonl`)
      await writeFile(path, messages.map((message) => `${entry(message.role, message.text)}\n`).join(""))
      return path
    }
  }
})
