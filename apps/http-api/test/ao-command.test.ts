import { describe, expect, it } from "vitest"
import { resolveAoCommand } from "../src/ao-command"

const files = (paths: ReadonlyArray<string>) => (path: string) => paths.includes(path)
const identity = (path: string) => path.replace(/\/[^/]+\/\.\.\//g, "/")

describe("resolveAoCommand: how the API's agents run `ao hook`", () => {
  it("finds the CLI beside the server, from its launcher or its bundle", () => {
    for (const apiScript of ["/opt/ao/apps/http-api/bin/ao-api.js", "/opt/ao/apps/http-api/dist/ao-api.js"]) {
      expect(
        resolveAoCommand({
          env: {},
          apiScript,
          nodePath: "/usr/bin/node",
          exists: files([apiScript, "/opt/ao/apps/cli/bin/ao.js"]),
          realpath: identity
        })
      ).toEqual(["/usr/bin/node", "/opt/ao/apps/cli/bin/ao.js"])
    }
  })

  it("AO_CLI wins when it names a launcher that exists; a relative or missing one installs no hooks", () => {
    const apiScript = "/opt/ao/apps/http-api/dist/ao-api.js"
    const exists = files([apiScript, "/opt/ao/apps/cli/bin/ao.js", "/home/me/ao/bin/ao.js"])
    const resolve = (AO_CLI: string) => resolveAoCommand({ env: { AO_CLI }, apiScript, nodePath: "node", exists, realpath: identity })
    expect(resolve("/home/me/ao/bin/ao.js")).toEqual(["node", "/home/me/ao/bin/ao.js"])
    expect(resolve("bin/ao.js")).toBeUndefined()
    expect(resolve("/nowhere/ao.js")).toBeUndefined()
  })

  it("none when no CLI is beside the server", () => {
    const apiScript = "/usr/lib/ao-api/dist/ao-api.js"
    expect(resolveAoCommand({ env: {}, apiScript, nodePath: "node", exists: files([apiScript]), realpath: identity })).toBeUndefined()
  })
})
