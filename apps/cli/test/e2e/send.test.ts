import { createSandbox, type Sandbox, standInBanner } from "@ao/e2e-harness"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * `ao send` end to end: what reaches the agent's pane over real tmux, and
 * what the exit code says about it.
 */
describe.sequential("ao send, end to end", () => {
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

  it("refuses control characters and escape sequences, naming the offset, and types nothing", async () => {
    const before = await sandbox.capturePane("demo-s1")
    for (const [text, offset, name] of [
      ["hello\u0003", 5, "Ctrl-C"],
      ["done\u001b[201~rm -rf /", 4, "ESC"],
      ["\u001b]52;c;ZXZpbA==\u0007", 0, "ESC"],
      ["line\rover", 4, "carriage return"],
      ["tab\tok but \u007f not", 11, "DEL"],
      ["c1 \u009b31m", 3, "CSI"]
    ] as const) {
      const result = await sandbox.ao(["send", "demo-s1", text])
      expect(result.exitCode, JSON.stringify(text)).toBe(1)
      expect(result.stderr).toContain(`at offset ${offset}`)
      expect(result.stderr).toContain(name)
      expect(result.stderr).toContain("--key")
    }
    const json = await sandbox.ao(["send", "demo-s1", "hello\u0003", "--json"])
    expect(json.exitCode).toBe(1)
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { tag: "InvalidInput", message: expect.stringContaining("at offset 5") } })
    expect(await sandbox.capturePane("demo-s1")).toBe(before)
  }, 180_000)

  it("--no-wait sends without confirming (exit 0, delivery not-checked); a plain send confirms", async () => {
    const unchecked = await sandbox.ao(["send", "demo-s1", "first message", "--no-wait", "--json"])
    expect(unchecked.exitCode).toBe(0)
    expect(JSON.parse(unchecked.stdout)).toEqual({ name: "demo-s1", confirmed: false, delivery: "not-checked", confirmedBy: null, enterPresses: 1 })
    await sandbox.waitFor("the first message", paneShows("demo-s1", "heard: first message"), 1200)
    const confirmed = await sandbox.ao(["send", "demo-s1", "second message"])
    expect(confirmed).toMatchObject({ exitCode: 0, stdout: "Message delivered to demo-s1.\n" })
  }, 120_000)

  it("--key presses one key of the fixed list; any other key is refused", async () => {
    const refused = await sandbox.ao(["send", "demo-s1", "--key", "C-d"])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain("Escape, C-c, Enter, Up, Down, Tab")
    const both = await sandbox.ao(["send", "demo-s1", "hi", "--key", "Tab"])
    expect(both.exitCode).toBe(2)
    const pressed = await sandbox.ao(["send", "demo-s1", "--key", "Enter", "--json"])
    expect(pressed.exitCode).toBe(0)
    expect(JSON.parse(pressed.stdout)).toEqual({ name: "demo-s1", key: "Enter" })
    // The stand-in agent heard an empty line.
    await sandbox.waitFor("an empty line", async () => /heard: \n/.test(`${await sandbox.capturePane("demo-s1")}\n`), 1200)
    const interrupted = await sandbox.ao(["send", "demo-s1", "--key", "C-c"])
    expect(interrupted).toMatchObject({ exitCode: 0, stdout: "Pressed C-c in demo-s1.\n" })
    const paneDead = async () => (await sandbox.tmux(["display-message", "-p", "-t", "=demo-s1:", "#{pane_dead}"])).trim() === "1"
    await sandbox.waitFor("the interrupted agent's pane to die", paneDead, 1200)
  }, 120_000)

  it("text already in the scrollback does not confirm a send: typed but unconfirmed is exit code 3", async () => {
    expect((await sandbox.ao(["spawn", "demo"])).exitCode).toBe(0)
    // An agent that shows "yes", then reads without echoing anything: the pane never shows the send anew.
    await sandbox.tmux(["respawn-pane", "-k", "-t", "=demo-s2:", "sh -c 'echo yes; stty -echo; cat >/dev/null'"])
    await sandbox.waitFor("the old yes", paneShows("demo-s2", "yes"), 1200)
    const result = await sandbox.ao(["send", "demo-s2", "yes"])
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toContain("Message typed into demo-s2, but not confirmed")
    const json = await sandbox.ao(["send", "demo-s2", "yes", "--json"])
    expect(json.exitCode).toBe(3)
    expect(JSON.parse(json.stdout)).toEqual({ name: "demo-s2", confirmed: false, delivery: "unconfirmed", confirmedBy: null, enterPresses: 2 })
  }, 120_000)
})
