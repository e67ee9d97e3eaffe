import { createSandbox, type Sandbox } from "@ao/e2e-harness"
import { execa } from "execa"
import { existsSync } from "node:fs"
import { mkdir, readFile, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * `ao doctor` against drift made by hand in a sandbox (real tmux on a private
 * server, real git): it reports everything and changes nothing; `--fix`
 * repairs what is safe, snapshotting worktrees first; what is left is only
 * what a person has to decide.
 */

interface DoctorJson {
  readonly ok: boolean
  readonly findings: ReadonlyArray<{ readonly kind: string; readonly subject: string; readonly fixable: boolean }>
  readonly repairs: ReadonlyArray<{ readonly kind: string; readonly subject: string; readonly outcome: string }>
}

/** A pid that is certainly not running: a process that has already ended. */
const deadPid = async (): Promise<number> => {
  const child = execa("true")
  await child
  if (child.pid === undefined) throw new Error("true did not start")
  return child.pid
}

describe.sequential("ao doctor, end to end", () => {
  let sandbox: Sandbox
  const worktreeDir = () => join(sandbox.paths.home, ".worktrees")
  const orphanPath = () => join(worktreeDir(), "demo-s77")
  const doctorJson = async (args: ReadonlyArray<string> = []) => {
    const result = await sandbox.ao(["doctor", "--json", ...args])
    return { exitCode: result.exitCode, stderr: result.stderr, report: JSON.parse(result.stdout) as DoctorJson }
  }
  const kinds = (report: DoctorJson) => report.findings.map((finding) => `${finding.kind} ${finding.subject}`)
  /** What doctor must not change without --fix. */
  const reality = async () => ({
    tmux: [...(await sandbox.tmuxSessions())].sort(),
    worktrees: await sandbox.git(["worktree", "list", "--porcelain"]),
    refs: await sandbox.refs("refs/"),
    locks: existsSync(join(sandbox.paths.aoHome, "locks")) ? await readFile(join(sandbox.paths.aoHome, "locks", "demo-s5.lock"), "utf8") : "",
    record: await readFile(join(sandbox.paths.aoHome, "sessions", "demo-s2.json"), "utf8")
  })

  beforeAll(async () => {
    sandbox = await createSandbox({ projectId: "demo" })
    for (let n = 1; n <= 3; n++) expect((await sandbox.ao(["spawn", "demo"])).exitCode).toBe(0)
  })
  afterAll(async () => {
    await sandbox.dispose()
  })

  it("finds nothing wrong with healthy sessions", async () => {
    const result = await sandbox.ao(["doctor"])
    expect(result).toMatchObject({ exitCode: 0, stderr: "" })
    expect(result.stdout).toContain("No problems found.")
  })

  it("reports every drift made by hand, exits 1, and changes nothing", async () => {
    // A tmux session named like ours with a process in it, and one whose command has ended.
    await sandbox.tmux(["new-session", "-d", "-s", "demo-s99", "sleep 600"])
    await sandbox.tmux(["new-session", "-d", "-s", "demo-s98", "sleep 600"])
    await sandbox.tmux(["set-option", "-t", "=demo-s98:", "remain-on-exit", "on"])
    await sandbox.tmux(["respawn-pane", "-k", "-t", "=demo-s98:", "true"])
    await sandbox.waitFor("the pane of demo-s98 to die", async () =>
      (await sandbox.tmux(["display-message", "-p", "-t", "=demo-s98:", "#{pane_dead}"])).trim() === "1"
    )
    // A worktree ao made whose record is gone, with uncommitted and untracked work in it.
    await sandbox.git(["worktree", "add", "--quiet", "-b", "stray", orphanPath(), "main"])
    const orphanGitDir = (await sandbox.git(["rev-parse", "--absolute-git-dir"], orphanPath())).trim()
    await writeFile(join(orphanGitDir, "ao-worktree"), `${orphanPath()}\n`)
    await writeFile(join(orphanPath(), "README.md"), "# edited, not committed\n")
    await writeFile(join(orphanPath(), "untracked.txt"), "only here\n")
    // A lock whose holder died.
    await mkdir(join(sandbox.paths.aoHome, "locks"), { recursive: true })
    const pid = await deadPid()
    await writeFile(
      join(sandbox.paths.aoHome, "locks", "demo-s5.lock"),
      JSON.stringify({ pid, startTicks: null, acquiredAt: "2026-01-01T00:00:00.000Z", nonce: "dead" })
    )
    // A truncated session file whose tmux session is gone.
    const recordPath = join(sandbox.paths.aoHome, "sessions", "demo-s2.json")
    const record = await readFile(recordPath, "utf8")
    await writeFile(recordPath, record.slice(0, Math.floor(record.length / 2)))
    await sandbox.tmux(["kill-session", "-t", "=demo-s2"])
    // A session whose worktree was deleted and whose tmux session was killed.
    await rm(join(worktreeDir(), "demo-s3"), { recursive: true, force: true })
    await sandbox.tmux(["kill-session", "-t", "=demo-s3"])

    const before = await reality()
    const text = await sandbox.ao(["doctor"])
    expect(text.exitCode).toBe(1)
    expect(text.stdout).toContain("demo-s99 (orphan tmux session): no session record names it, but a process still runs in it")
    expect(text.stdout).toContain("not fixed automatically: look at it with: tmux attach -t =demo-s99")
    expect(text.stdout).toContain("~/.worktrees/demo-s77 (orphan worktree)")
    expect(text.stdout).toMatch(/7 problems found\. 6 can be fixed safely with: ao doctor --fix/)
    const { exitCode, report } = await doctorJson()
    expect(exitCode).toBe(1)
    expect(report.ok).toBe(false)
    expect(kinds(report)).toEqual([
      "lost-session demo-s3",
      "broken-record demo-s2",
      "orphan-runtime demo-s98",
      "orphan-runtime demo-s99",
      `orphan-worktree ${orphanPath()}`,
      `stale-registration ${sandbox.paths.repo}`,
      "stale-lock demo-s5"
    ])
    expect(report.findings.filter((finding) => !finding.fixable).map((finding) => finding.subject)).toEqual(["demo-s99"])
    expect(await reality()).toEqual(before)
  })

  it("--fix repairs the safe ones, snapshotting the orphan worktree before removing it", async () => {
    const text = await sandbox.ao(["doctor", "--fix"])
    expect(text.exitCode).toBe(1)
    expect(text.stdout).toContain("Fixed ~/.worktrees/demo-s77 (orphan worktree): removed the worktree; its uncommitted work is saved in refs/ao/snapshots/demo-s77/")
    expect(text.stdout).toContain("Doctor complete. 1 problem remains (not safe to fix automatically).")

    expect(existsSync(orphanPath())).toBe(false)
    const [ref] = await sandbox.refs("refs/ao/snapshots/demo-s77/")
    expect(ref).toBeDefined()
    expect(await sandbox.git(["show", `${ref}:untracked.txt`])).toBe("only here")
    expect(await sandbox.git(["show", `${ref}:README.md`])).toBe("# edited, not committed")
    expect(await sandbox.tmuxSessions()).toEqual(expect.arrayContaining(["demo-s1", "demo-s99"]))
    expect(await sandbox.tmuxSessions()).not.toContain("demo-s98")
    expect(existsSync(join(sandbox.paths.aoHome, "locks", "demo-s5.lock"))).toBe(false)
    expect(existsSync(join(sandbox.paths.aoHome, "sessions", "demo-s2.json"))).toBe(false)
    expect(await sandbox.worktrees()).toEqual([join(worktreeDir(), "demo-s1")])
    const killed = await sandbox.ao(["session", "ls", "--all", "--json"])
    const demo3 = (JSON.parse(killed.stdout) as ReadonlyArray<{ name: string; status: string }>).find((row) => row.name === "demo-s3")
    expect(demo3?.status).toBe("killed")
  })

  it("afterwards reports only what is not safe to fix, and nothing once a person has dealt with it", async () => {
    const { exitCode, report } = await doctorJson()
    expect(exitCode).toBe(1)
    expect(kinds(report)).toEqual(["orphan-runtime demo-s99"])
    await sandbox.tmux(["kill-session", "-t", "=demo-s99"])
    const clean = await doctorJson(["--fix"])
    expect(clean).toMatchObject({ exitCode: 0, report: { ok: true, findings: [], repairs: [] } })
  })

  it("reports a worktree a person made under the worktree directory and never removes it (issue 10 item 7)", async () => {
    const personal = join(worktreeDir(), "mine")
    await sandbox.git(["worktree", "add", "--quiet", "-b", "mine", personal, "main"])
    await writeFile(join(personal, ".env"), "MINE=1\n")
    const { exitCode, report } = await doctorJson(["--fix"])
    expect(exitCode).toBe(1)
    expect(report.findings.map((finding) => [finding.kind, finding.subject, finding.fixable])).toEqual([["orphan-worktree", personal, false]])
    expect(await readFile(join(personal, ".env"), "utf8")).toBe("MINE=1\n")
    expect(await sandbox.worktrees()).toContain(personal)
  })
})
