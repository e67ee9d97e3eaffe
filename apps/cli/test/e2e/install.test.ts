import { createSandbox, type Sandbox, workspaceRoot } from "@ao/e2e-harness"
import { execa } from "execa"
import { existsSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * `npm run install:global`'s packing and installing step, into a temporary
 * npm prefix with npm offline: the package carries its bundles and needs
 * nothing else, and the installed `ao` works in a repository outside this
 * workspace.
 */
describe.sequential("install from the packed package, end to end", () => {
  let sandbox: Sandbox
  let prefix: string
  const installed = (bin: string) => join(prefix, "bin", bin)
  const run = (bin: string, args: ReadonlyArray<string>) =>
    execa(installed(bin), args, { cwd: sandbox.paths.repo, env: sandbox.env, extendEnv: false, reject: false, stdin: "ignore" })

  beforeAll(async () => {
    sandbox = await createSandbox({ projectId: "outside" })
    prefix = join(sandbox.paths.root, "prefix")
  })
  afterAll(async () => {
    await sandbox.dispose()
  })

  it("packs ao and ao-api into one package and installs it into npm_config_prefix without the network", async () => {
    const result = await execa("node", [join(workspaceRoot(), "pack-global.mjs"), "--out", join(sandbox.paths.root, "pack"), "--install"], {
      cwd: sandbox.paths.root,
      env: {
        ...sandbox.env,
        npm_config_prefix: prefix,
        npm_config_offline: "true",
        npm_config_cache: join(sandbox.paths.root, "npm-cache"),
        npm_config_update_notifier: "false"
      },
      extendEnv: false,
      reject: false,
      stdin: "ignore"
    })
    expect(result.stderr).not.toContain("ERR")
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`Installed ao and ao-api into ${join(prefix, "bin")}`)
    const manifest = JSON.parse(await readFile(join(prefix, "lib", "node_modules", "ao-fleet", "package.json"), "utf8"))
    expect(manifest).toMatchObject({ name: "ao-fleet", bin: { ao: "bin/ao.js", "ao-api": "bin/ao-api.js" } })
    expect(manifest.dependencies).toBeUndefined()
    expect(existsSync(join(prefix, "lib", "node_modules", "ao-fleet", "node_modules"))).toBe(false)
  })

  it("the installed ao and ao-api run from a repository outside the workspace", async () => {
    const cliVersion = JSON.parse(await readFile(join(workspaceRoot(), "apps", "cli", "package.json"), "utf8")).version
    const version = await run("ao", ["--version"])
    expect(version.stdout.trim()).toBe(cliVersion)
    // The launcher's own answers and its hook bundle are in the package too.
    const aoHelp = await run("ao", ["--help"])
    expect(aoHelp.exitCode).toBe(0)
    expect(aoHelp.stdout).toContain("Usage: ao <command> [options]")
    const hook = await execa(installed("ao"), ["hook", "claude", "PreToolUse"], {
      cwd: sandbox.paths.repo,
      env: sandbox.env,
      extendEnv: false,
      reject: false,
      input: "{}"
    })
    expect(hook.exitCode).toBe(0)
    const help = await run("ao-api", ["--help"])
    expect(help.exitCode).toBe(0)
    expect(help.stdout).toContain("ao-api")

    const spawned = await run("ao", ["spawn", "outside", "--prompt", "hello"])
    expect(spawned.stderr).toBe("")
    expect(spawned.stdout.trimEnd().split("\n").at(-1)).toBe("SESSION=outside-s1")
    const listed = await run("ao", ["session", "ls"])
    expect(listed.stdout).toContain("outside-s1")
    const killed = await run("ao", ["session", "kill", "outside-s1"])
    expect(killed.exitCode).toBe(0)
    expect(await sandbox.tmuxSessions()).toEqual([])
  })
})
