import { createSandbox, type Sandbox } from "@ao/e2e-harness"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/** Help, usage mistakes and --json failures as a person or a script meets them, on the built `ao`. */
describe.sequential("ao help and usage errors, end to end", () => {
  let sandbox: Sandbox

  beforeAll(async () => {
    sandbox = await createSandbox({ projectId: "demo" })
  })
  afterAll(async () => {
    await sandbox.dispose()
  })

  const longerThan = (text: string, width: number) => text.split("\n").filter((line) => line.length > width)

  it("ao --help is ao's own page, and fits a 60-column terminal", async () => {
    const wide = await sandbox.ao(["--help"])
    expect(wide).toMatchObject({ exitCode: 0, stderr: "" })
    expect(wide.stdout).toContain("Usage: ao <command> [options]")
    expect(wide.stdout).toMatch(/^ {2}session ls {2,}List all sessions/m)
    expect(longerThan(wide.stdout, 80)).toEqual([])
    const narrow = await sandbox.ao(["--help"], { env: { COLUMNS: "60" } })
    expect(narrow.exitCode).toBe(0)
    expect(narrow.stdout).toContain("Usage: ao <command> [options]")
    expect(longerThan(narrow.stdout, 60)).toEqual([])
    const bare = await sandbox.ao([])
    expect(bare).toMatchObject({ exitCode: 0, stdout: wide.stdout })
  })

  it("a command's help shows its full usage line, its options described, and the spec's examples", async () => {
    const result = await sandbox.ao(["session", "ls", "--help"], { env: { COLUMNS: "60" } })
    expect(result).toMatchObject({ exitCode: 0, stderr: "" })
    expect(result.stdout).toContain("Usage: ao session ls [options]\n")
    expect(result.stdout).toMatch(/-p, --project <id> +Filter by project ID/)
    expect(result.stdout).toContain("  ao session ls --project my-project\n")
    expect(result.stdout).not.toMatch(/A user-defined piece of text|wizard/i)
    expect(longerThan(result.stdout, 60)).toEqual([])
    const group = await sandbox.ao(["session"])
    expect(group).toMatchObject({ exitCode: 0 })
    expect(group.stdout).toContain("Usage: ao session <command> [options]")
  })

  it("--wizard is refused with exit code 2, without prompting", async () => {
    const result = await sandbox.ao(["session", "ls", "--wizard"])
    expect(result.exitCode).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain("ao has no wizard mode (--wizard)")
  })

  it("a missing option value is named, with the command's usage line", async () => {
    const project = await sandbox.ao(["session", "ls", "-p"])
    expect(project.exitCode).toBe(2)
    expect(project.stderr).toBe("Option -p needs a value: a project ID\nUsage: ao session ls [options]\nMore: ao session ls --help\n")
    const completions = await sandbox.ao(["--completions"])
    expect(completions.exitCode).toBe(2)
    expect(completions.stderr).toContain("Option --completions needs a value: a shell: bash, zsh, fish or sh")
  })

  it("a --json failure keeps the session's name", async () => {
    const result = await sandbox.ao(["session", "kill", "demo-s404", "--json"])
    expect(result.exitCode).toBe(1)
    expect(JSON.parse(result.stderr)).toEqual({
      name: "demo-s404",
      error: { tag: "SessionNotFound", message: "Session not found", hint: "List sessions to find the correct name: ao session ls" }
    })
  })
})
