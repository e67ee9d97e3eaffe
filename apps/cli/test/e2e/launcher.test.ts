import { workspaceRoot } from "@ao/e2e-harness"
import { execa } from "execa"
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * The launcher (dist/ao.js) answers `--version` and every help page itself,
 * without loading the CLI bundle: a copy of it alone in a directory, with no
 * dist/cli.cjs beside it to fall back on, must print what the built CLI
 * prints, byte for byte, exit code and stderr included.
 */
describe("the launcher's own answers, end to end", () => {
  const dist = join(workspaceRoot(), "apps", "cli", "dist")
  let scratch: string
  let alone: string

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "ao-launcher-"))
    alone = join(scratch, "alone")
    await execa("mkdir", ["-p", alone])
    await writeFile(join(alone, "package.json"), '{ "type": "module" }\n')
    await copyFile(join(dist, "ao.js"), join(alone, "ao.js"))
  })
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  const run = async (script: string, args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) => {
    const result = await execa(process.execPath, [script, ...args], {
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: scratch, XDG_CACHE_HOME: join(scratch, "cache"), ...env },
      extendEnv: false,
      reject: false,
      stdin: "ignore",
      stripFinalNewline: false
    })
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode }
  }

  /** The launcher's answer and the CLI's, side by side. */
  const both = async (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}) => {
    const [launcher, cli] = await Promise.all([run(join(alone, "ao.js"), args, env), run(join(dist, "cli.cjs"), args, env)])
    return { launcher, cli }
  }

  /** The commands `ao --help` lists (`init`, `session ls`…), as the built CLI prints them. */
  const listedCommands = (page: string): ReadonlyArray<ReadonlyArray<string>> => {
    const lines = page.split("\n")
    const from = lines.indexOf("Commands:") + 1
    const to = lines.indexOf("", from)
    return lines
      .slice(from, to)
      .filter((line) => /^ {2}[a-z]/.test(line))
      .map((line) => line.trim().split(/ {2,}/)[0]?.split(" ") ?? [])
  }

  it("every help page, and --version, are the same bytes as the CLI's", async () => {
    const top = await run(join(dist, "cli.cjs"), ["--help"], {})
    const commands = listedCommands(top.stdout)
    expect(commands).toContainEqual(["session", "ls"])
    const groups = [...new Set(commands.filter((words) => words.length > 1).map((words) => words[0] ?? ""))]
    const argumentLists: ReadonlyArray<ReadonlyArray<string>> = [
      [],
      ["--help"],
      ["-h"],
      ["--version"],
      ["--help", "session"],
      ["session", "kill", "-h", "ao-1"],
      ...groups.flatMap((group) => [[group], [group, "--help"]]),
      ...commands.map((words) => [...words, "--help"])
    ]
    const differing: Array<string> = []
    // Two at a time: each CLI run loads the whole bundle.
    for (let index = 0; index < argumentLists.length; index += 2) {
      await Promise.all(
        argumentLists.slice(index, index + 2).map(async (args) => {
          const { launcher, cli } = await both(args)
          if (cli.exitCode !== 0 || JSON.stringify(launcher) !== JSON.stringify(cli)) {
            differing.push(`ao ${args.join(" ")}: launcher ${JSON.stringify(launcher)}, CLI ${JSON.stringify(cli)}`)
          }
        })
      )
    }
    expect(differing).toEqual([])
  }, 180_000)

  it.each([
    ["COLUMNS=60", { COLUMNS: "60" }],
    ["COLUMNS=100", { COLUMNS: "100" }],
    ["FORCE_COLOR=1", { FORCE_COLOR: "1" }]
  ] as const)("with %s, ao --help, ao session ls --help and ao --version are the CLI's too", async (_, env) => {
    for (const args of [["--help"], ["session", "ls", "--help"], ["--version"]]) {
      const { launcher, cli } = await both(args, env)
      expect(launcher).toEqual(cli)
    }
  }, 60_000)

  it("anything else is left to the CLI, which the lone copy cannot load", async () => {
    const result = await run(join(alone, "ao.js"), ["session", "ls"], {})
    expect(result.exitCode).not.toBe(0)
    expect(result.stderr).toContain("cli.cjs")
  })
})
