import { createSandbox, type Sandbox, standInBanner } from "@ao/e2e-harness"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/** `ao logs` end to end: a real tmux pane read without attaching, once and followed. */
describe.sequential("ao logs, end to end", () => {
  let sandbox: Sandbox
  const paneShows = (name: string, text: string) => async () => (await sandbox.capturePane(name)).includes(text)

  beforeAll(async () => {
    sandbox = await createSandbox({ projectId: "demo" })
    expect((await sandbox.ao(["spawn", "demo"])).exitCode).toBe(0)
    await sandbox.waitFor("the agent's banner", paneShows("demo-s1", standInBanner("launch")), 1200)
  }, 120_000)
  afterAll(async () => {
    await sandbox.dispose()
  }, 120_000)

  it("prints the pane's last lines as text, and with --ansi keeps the colours", async () => {
    // An agent that prints a red line and a plain one, then waits.
    await sandbox.tmux(["respawn-pane", "-k", "-t", "=demo-s1:", "printf 'first\\n\\033[31mred line\\033[0m\\nplain line\\n'; exec sleep 600"])
    await sandbox.waitFor("the agent's lines", paneShows("demo-s1", "plain line"), 1200)
    const text = await sandbox.ao(["logs", "demo-s1", "-n", "2"])
    expect(text).toMatchObject({ exitCode: 0, stdout: "red line\nplain line\n" })
    const coloured = await sandbox.ao(["logs", "demo-s1", "--ansi", "--json"])
    expect(coloured.exitCode).toBe(0)
    const view = JSON.parse(coloured.stdout) as { name: string; ansi: boolean; lines: Array<string> }
    expect(view).toMatchObject({ name: "demo-s1", ansi: true })
    expect(view.lines.find((line) => line.includes("red line"))).toMatch(/\u001b\[3\dm.*red line/)
    expect(view.lines.join("\n")).not.toContain("first\u001b")
  }, 120_000)

  it("-f prints what the agent adds, once each, and ends when the session is killed", async () => {
    expect((await sandbox.ao(["spawn", "demo"])).exitCode).toBe(0)
    await sandbox.waitFor("the second agent's banner", paneShows("demo-s2", standInBanner("launch")), 1200)
    const follower = sandbox.startAo(["logs", "demo-s2", "-f", "-n", "1"])
    let printed = ""
    follower.stdout?.on("data", (chunk: Buffer) => {
      printed += chunk.toString()
    })
    await sandbox.waitFor("the follower's first line", async () => printed.includes(standInBanner("launch")), 1200)
    expect((await sandbox.ao(["send", "demo-s2", "first follow message"])).exitCode).toBe(0)
    expect((await sandbox.ao(["send", "demo-s2", "second follow message"])).exitCode).toBe(0)
    await sandbox.waitFor("both messages followed", async () => printed.includes("heard: second follow message"), 1200)
    expect((await sandbox.ao(["session", "kill", "demo-s2"])).exitCode).toBe(0)
    const ended = await follower
    expect(ended.exitCode).toBe(0)
    expect(ended.stderr).toContain("Session demo-s2 is no longer running.")
    expect(printed.split("heard: first follow message").length).toBe(2)
    expect(printed.split("heard: second follow message").length).toBe(2)
  }, 120_000)

  it("says what is wrong with an unknown session, a killed one and a bad -n", async () => {
    const unknown = await sandbox.ao(["logs", "demo-9"])
    expect(unknown.exitCode).toBe(1)
    expect(unknown.stderr).toContain("demo-9")
    const killed = await sandbox.ao(["logs", "demo-s2"])
    expect(killed.exitCode).toBe(1)
    expect(killed.stderr).toContain("Session demo-s2 is not running")
    const bad = await sandbox.ao(["logs", "demo-s1", "-n", "0"])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain("-n takes a whole number of lines")
  }, 120_000)
})
