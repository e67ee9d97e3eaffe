import { execFileSync } from "node:child_process"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { agentAdapterFor } from "../src/agents/index"
import { readScreen, type ScreenReading } from "../src/agents/screen"

/**
 * Each agent's screen patterns against its real texts (a permission prompt,
 * work in progress, its idle prompt), printed by a stand-in into a REAL tmux
 * pane on a private server and read back as ao reads a pane.
 */
const SCREENS = fileURLToPath(new URL("./fixtures/screens/", import.meta.url))

const expected: ReadonlyArray<readonly [agent: string, screen: string, reading: ScreenReading]> = [
  ["claude", "waiting", { state: "waiting", detail: "Do you want to proceed?" }],
  ["claude", "working", { state: "working" }],
  ["claude", "idle", { state: "idle" }],
  ["codex", "waiting", { state: "waiting", detail: "Would you like to run the following command?" }],
  ["codex", "working", { state: "working" }],
  ["codex", "idle", { state: "idle" }],
  ["aider", "waiting", { state: "waiting", detail: "Add file to the chat? (Y)es/(N)o/(D)on't ask again [Yes]:" }],
  ["aider", "working", { state: "working" }],
  ["aider", "idle", { state: "idle" }]
]

describe("per-agent screen patterns on a real tmux pane", () => {
  let dir: string
  const tmux = (...args: Array<string>) =>
    execFileSync("tmux", ["-u", "-f", "/dev/null", "-S", join(dir, "tmux.sock"), ...args], {
      encoding: "utf8",
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", LANG: "C.UTF-8", TMUX_TMPDIR: dir }
    })

  /** The pane's text once the stand-in has printed the screen's last line; polled, with a generous deadline. */
  const paneShowing = async (name: string, file: string): Promise<string> => {
    const last = (await readFile(file, "utf8")).trimEnd().split("\n").at(-1)?.trim() ?? ""
    const deadline = Date.now() + 30_000
    for (;;) {
      const text = tmux("capture-pane", "-p", "-t", `=${name}:`)
      if (text.includes(last)) return text
      if (Date.now() > deadline) throw new Error(`pane ${name} never showed ${JSON.stringify(last)}; it shows:\n${text}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ao-screens-"))
  })
  afterAll(async () => {
    try {
      tmux("kill-server")
    } catch {
      // Already gone.
    }
    await rm(dir, { recursive: true, force: true })
  })

  for (const [agent, screen, reading] of expected) {
    it(`${agent}: its ${screen} screen reads as ${reading.state}`, async () => {
      const file = join(SCREENS, `${agent}-${screen}.txt`)
      const name = `${agent}-${screen}`
      // The stand-in prints the agent's screen and stays, as the agent would.
      tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", "sh", "-c", 'cat "$0"; exec sleep 600', file)
      const text = await paneShowing(name, file)
      const patterns = agentAdapterFor(agent).screen
      expect(patterns).toBeDefined()
      expect(readScreen(text, patterns!)).toEqual(reading)
      tmux("kill-session", "-t", `=${name}`)
    }, 60_000)
  }

  it("an agent ao knows no texts of has no screen patterns; text no pattern knows reads as nothing", () => {
    expect(agentAdapterFor("my-script").screen).toBeUndefined()
    expect(readScreen("compiling…\n", agentAdapterFor("claude").screen!)).toBeUndefined()
  })

  it("only the bottom of the screen counts: a question answered long ago and scrolled up is history", () => {
    const old = ["Add file to the chat? (Y)es/(N)o/(D)on't ask again [Yes]: y", ...Array.from({ length: 20 }, (_, n) => `line ${n}`), "> "]
    expect(readScreen(old.join("\n"), agentAdapterFor("aider").screen!)).toEqual({ state: "idle" })
  })
})
