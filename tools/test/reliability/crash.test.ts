import { createSandbox, type Sandbox } from "@ao/e2e-harness"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { runAndKill } from "../../src/reliability/crash"

/**
 * Holds the event loop, as a busy machine does, until `pid` has exited and
 * waits, unreaped, as a zombie (or 60 s have passed).
 */
const holdUntilZombie = (pid: number | undefined) => {
  const until = Date.now() + 60_000
  while (Date.now() < until) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z") return
  }
  throw new Error(`ao (pid ${pid}) did not exit within 60 s`)
}

describe("reliability: runAndKill", () => {
  it("a command that had exited before the kill moment (a zombie not yet reaped) is not counted as killed mid-command", async () => {
    const sandbox = await createSandbox({ projectId: "demo" })
    try {
      // ao exits while the event loop is held, so the kill moment comes before Node has seen the exit.
      const slowToNotice = Object.assign(Object.create(sandbox) as Sandbox, {
        startAo: (args: ReadonlyArray<string>) => {
          const child = sandbox.startAo(args)
          holdUntilZombie(child.pid)
          return child
        }
      })
      expect(await runAndKill(slowToNotice, ["--version"], 0)).toMatchObject({ killed: false, ended: "exit 0" })
    } finally {
      await sandbox.dispose()
    }
  }, 300_000)

  it("a command still running at the kill moment is killed and counted", async () => {
    const sandbox = await createSandbox({ projectId: "demo" })
    try {
      // spawn, not ls: ls is all but done once its one subprocess has started, and at load average 30
      // it finished before the stop took hold (seen beside CI); spawn has nine more subprocesses to go.
      expect(await runAndKill(sandbox, ["spawn", "demo"], 0)).toMatchObject({ killed: true, ended: "SIGKILL" })
    } finally {
      await sandbox.dispose()
    }
  }, 300_000)
})
