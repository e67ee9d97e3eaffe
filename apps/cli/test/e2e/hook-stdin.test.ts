import { workspaceRoot } from "@ao/e2e-harness"
import { execa } from "execa"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * The built `ao hook` reads its payload from fd 0 itself, whatever stdin is:
 * a socket (node-based agents such as Claude Code), a pipe, a file, /dev/null,
 * or a stdin left open that never says anything. It runs as agents run it,
 * through bin/ao.js.
 */
describe("ao hook's stdin, with the built bundle", () => {
  let home: string
  const bin = join(workspaceRoot(), "apps", "cli", "bin", "ao.js")
  const env = (session: string) => ({ PATH: process.env["PATH"] ?? "/usr/bin:/bin", AO_HOME: home, AO_SESSION: session })
  const lines = async (session: string) =>
    (await readFile(join(home, "activity", `${session}.jsonl`), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { readonly event: string; readonly detail?: string })
  const payload = JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "npm test" } })

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "ao-hook-stdin-"))
  })
  afterAll(async () => {
    await rm(home, { recursive: true, force: true })
  })

  it("reads the payload from a socket, a pipe and a file, and none from /dev/null, exiting 0 each time", async () => {
    const socket = await execa(process.execPath, [bin, "hook", "claude", "PreToolUse"], { env: env("via-socket"), extendEnv: false, input: payload })
    expect(socket.exitCode, socket.stderr).toBe(0)
    const pipe = await execa("sh", ["-c", `printf '%s' "$PAYLOAD" | "$NODE" "$BIN" hook claude PreToolUse`], {
      env: { ...env("via-pipe"), PAYLOAD: payload, NODE: process.execPath, BIN: bin },
      extendEnv: false
    })
    expect(pipe.exitCode, pipe.stderr).toBe(0)
    const file = join(home, "payload.json")
    await writeFile(file, payload)
    const fromFile = await execa(process.execPath, [bin, "hook", "claude", "PreToolUse"], { env: env("via-file"), extendEnv: false, inputFile: file })
    expect(fromFile.exitCode, fromFile.stderr).toBe(0)
    const none = await execa(process.execPath, [bin, "hook", "claude", "PreToolUse"], { env: env("via-null"), extendEnv: false, stdin: "ignore" })
    expect(none.exitCode, none.stderr).toBe(0)
    for (const session of ["via-socket", "via-pipe", "via-file"]) expect(await lines(session), session).toEqual([expect.objectContaining({ event: "PreToolUse", detail: "Bash" })])
    expect(await lines("via-null")).toEqual([{ at: expect.any(String), state: "working", event: "PreToolUse" }])
  })

  it("a stdin left open and silent: the event is recorded without a payload, and the hook ends by itself", async () => {
    // The caller never writes nor closes stdin; the hook gives it a second, records, and ends (killed by itself: the read cannot be cancelled).
    const hook = execa(process.execPath, [bin, "hook", "claude", "Stop"], { env: env("left-open"), extendEnv: false, reject: false, stdin: "pipe" })
    const ended = await Promise.race([hook.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 60_000))])
    hook.stdin?.end()
    expect(ended, "the hook ended while its stdin was still open").toBe(true)
    expect(await lines("left-open")).toEqual([{ at: expect.any(String), state: "idle", event: "Stop" }])
  })
})
