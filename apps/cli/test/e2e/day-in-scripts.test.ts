import { aoBinary, createSandbox, type Sandbox, type SandboxPaths } from "@ao/e2e-harness"
import { execa } from "execa"
import { existsSync } from "node:fs"
import { chmod, mkdir, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * The spec's shell examples run literally through bash against the built
 * `ao` (on PATH as `ao`), and the day around them: batches of spawns and
 * kills, and an issue started afresh after its session was killed.
 * Project `my-project` has the session prefix `my-project`, as `ao init`
 * picks for such an id; project `other` shares the repository.
 */

/** ao-session.md, "Batch Kill", word for word. */
const BATCH_KILL = `# Kill all sessions for a project (shell script)
for session in $(ao session ls --project my-project | grep my-project | awk '{print $1}'); do
  ao session kill $session
done
`

/** ao-session.md, "Cleanup Script", word for word. */
const CLEANUP_SCRIPT = `#!/bin/bash
# cleanup-old-sessions.sh

# Preview
ao session cleanup --dry-run

# Ask for confirmation
read -p "Proceed with cleanup? (y/n) " -n 1 -r
echo
if [[ $REPLY =~ ^[Yy]$ ]]; then
  ao session cleanup
fi
`

/** The sandbox's project plus `other` on the same repository, with its own prefix. */
const twoProjects = (paths: SandboxPaths): string => {
  const quote = (text: string) => JSON.stringify(text)
  const project = (id: string) => [
    `  ${id}:`,
    `    path: ${quote(paths.repo)}`,
    "    defaultBranch: main",
    `    sessionPrefix: ${id}`,
    "    agent: stand-in",
    "    tracker: none"
  ]
  return [
    "projects:",
    ...project(paths.projectId),
    ...project("other"),
    "agents:",
    "  stand-in:",
    `    launch: [${quote(paths.agentScript)}, launch]`,
    `    resume: [${quote(paths.agentScript)}, resume]`,
    ""
  ].join("\n")
}

interface Listed {
  readonly name: string
  readonly status: string
  readonly project: string
}

describe.sequential("the spec's scripts and a day of batches, end to end", () => {
  let sandbox: Sandbox
  let binDir: string

  /** Runs a script with bash, `ao` on PATH, in the sandbox's environment. */
  const bash = async (script: string, input = "") => {
    const result = await execa("bash", ["-c", script], {
      cwd: sandbox.paths.repo,
      env: { ...sandbox.env, PATH: `${binDir}:${sandbox.env["PATH"] ?? ""}` },
      extendEnv: false,
      reject: false,
      input
    })
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 }
  }
  const names = async (): Promise<ReadonlyArray<string>> => {
    const result = await sandbox.ao(["session", "ls", "-q"])
    expect(result.exitCode).toBe(0)
    return result.stdout.split("\n").filter((line) => line !== "")
  }
  const listAll = async (): Promise<ReadonlyArray<Listed>> =>
    JSON.parse((await sandbox.ao(["session", "ls", "--all", "--json"])).stdout) as ReadonlyArray<Listed>

  beforeAll(async () => {
    sandbox = await createSandbox({ projectId: "my-project", config: twoProjects })
    binDir = join(sandbox.paths.root, "bin")
    await mkdir(binDir, { recursive: true })
    await writeFile(join(binDir, "ao"), `#!/bin/sh\nexec node ${JSON.stringify(aoBinary())} "$@"\n`)
    await chmod(join(binDir, "ao"), 0o755)
  })
  afterAll(async () => {
    await sandbox.dispose()
  })

  it("spawns several issues at once and reports each", async () => {
    const result = await sandbox.ao(["spawn", "my-project", "INT-1", "INT-2", "INT-77"])
    expect(result).toMatchObject({ exitCode: 0, stderr: "" })
    for (const name of ["my-project-int-1", "my-project-int-2", "my-project-int-77"]) {
      expect(result.stdout).toContain(`Session ${name} spawned.`)
      expect(result.stdout).toContain(`SESSION=${name}`)
    }
    expect((await sandbox.ao(["spawn", "other", "INT-9"])).exitCode).toBe(0)
    const again = await sandbox.ao(["spawn", "other", "INT-9", "INT-10", "--json"])
    expect(again.exitCode).toBe(1)
    expect(again.stderr).toContain("Session other-int-9 already exists")
    expect((JSON.parse(again.stdout) as ReadonlyArray<{ name: string }>).map((spawned) => spawned.name)).toEqual(["other-int-10"])
  })

  it("ls -q prints names only, and ls | awk '{print $1}' prints only headers and sessions", async () => {
    expect(await names()).toEqual(["my-project-int-1", "my-project-int-2", "my-project-int-77", "other-int-9", "other-int-10"])
    const piped = await bash("ao session ls | awk '{print $1}'")
    expect(piped.exitCode).toBe(0)
    expect(piped.stdout.split("\n")).toEqual([
      "my-project:",
      "my-project-int-1",
      "my-project-int-2",
      "my-project-int-77",
      "",
      "other:",
      "other-int-9",
      "other-int-10"
    ])
  })

  it("runs the spec's Batch Kill literally: exactly that project's sessions are killed, and no error", async () => {
    const result = await bash(BATCH_KILL)
    expect(result.stderr).toBe("")
    expect(result.exitCode).toBe(0)
    expect(result.stdout.split("\n").filter((line) => line.startsWith("Session "))).toEqual([
      "Session my-project-int-1 killed.",
      "Session my-project-int-2 killed.",
      "Session my-project-int-77 killed."
    ])
    expect(await names()).toEqual(["other-int-9", "other-int-10"])
    expect(await sandbox.tmuxSessions()).toEqual(expect.arrayContaining(["other-int-9", "other-int-10"]))
    expect(await sandbox.tmuxSessions()).not.toContain("my-project-int-1")
  })

  it("spawns a fresh session for an issue after its session was killed", async () => {
    const result = await sandbox.ao(["spawn", "my-project", "INT-1"])
    expect(result.stderr).toBe("")
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain("Session my-project-int-1 spawned.")
    expect(result.stdout).toMatch(/Replaces the killed session of \d{4}-\d\d-\d\d; its record is kept at ~\/.*superseded\/my-project-int-1\..*\.json/)
    expect(result.stdout).toContain("already existed: the new worktree continues on it")
    const listed = (await listAll()).filter((session) => session.name === "my-project-int-1")
    expect(listed.map((session) => session.status)).toEqual(["working"])
    expect(await sandbox.tmuxSessions()).toContain("my-project-int-1")
  })

  it("follows the Workspace-missing hint: the suggested spawn starts the session afresh", async () => {
    const { stdout } = await sandbox.ao(["status", "--json"])
    const found = (JSON.parse(stdout) as ReadonlyArray<{ name: string; workspacePath: string }>).find(
      (session) => session.name === "my-project-int-1"
    )
    await sandbox.tmux(["kill-session", "-t", "=my-project-int-1"])
    await rm(found!.workspacePath, { recursive: true, force: true })
    const listed = await sandbox.ao(["session", "ls", "--project", "my-project"])
    expect(listed.stdout).toContain("my-project-int-1")
    expect(listed.stdout).toContain("[worktree missing]")
    expect(listed.stdout).not.toContain("[working]")
    const refused = await sandbox.ao(["session", "restore", "my-project-int-1"])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain("Workspace missing: ")
    const hinted = refused.stderr.split("\n").find((line) => line.trim().startsWith("ao spawn "))
    expect(hinted?.trim()).toBe("ao spawn my-project INT-1")
    const again = await sandbox.ao(["spawn", "my-project", "INT-1"])
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain("Session my-project-int-1 spawned.")
    expect(existsSync(found!.workspacePath)).toBe(true)
  })

  it("kills several sessions in one command, going on past a name that is not found", async () => {
    const result = await sandbox.ao(["session", "kill", "other-int-10", "other-int-404", "my-project-int-1"])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain("Session other-int-10 killed.")
    expect(result.stdout).toContain("Session my-project-int-1 killed.")
    expect(result.stderr).toContain("Failed to kill session other-int-404: Session not found")
    expect(await names()).toEqual(["other-int-9"])
  })

  it("runs the spec's Cleanup Script literally, answering y on stdin", async () => {
    await sandbox.tmux(["kill-session", "-t", "=other-int-9"])
    const result = await bash(CLEANUP_SCRIPT, "y")
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain("  Would kill other-int-9")
    expect(result.stdout).toContain("Dry run complete. 1 session would be cleaned.")
    expect(result.stdout).toContain("  Cleaned: other-int-9")
    expect(result.stdout).toContain("Cleanup complete. 1 session cleaned.")
    expect(await names()).toEqual([])
  })
})
