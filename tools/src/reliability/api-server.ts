import { type Sandbox, workspaceRoot } from "@ao/e2e-harness"
import { execa } from "execa"
import { existsSync } from "node:fs"
import { join } from "node:path"

/** The built `ao-api` (npm run build -w @ao/http-api). */
export const apiBundle = (): string => join(workspaceRoot(), "apps", "http-api", "dist", "ao-api.js")

export interface ApiServer {
  readonly url: string
  /** POSTs JSON; the status and the parsed body. */
  readonly post: (path: string, body: unknown) => Promise<{ readonly status: number; readonly body: unknown }>
  readonly stop: () => Promise<void>
}

/** `ao-api` on a free loopback port in the sandbox, on the same store, tmux server and repository as the CLI. */
export const startApiServer = async (sandbox: Sandbox): Promise<ApiServer> => {
  const bundle = apiBundle()
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build -w @ao/http-api`)
  const server = execa("node", [bundle, "--port", "0"], { cwd: sandbox.paths.repo, env: sandbox.env, extendEnv: false, reject: false })
  const url = await new Promise<string>((resolve, reject) => {
    let output = ""
    server.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString()
      const listening = /listening on (http:\/\/\S+)/.exec(output)
      if (listening?.[1] !== undefined) resolve(listening[1])
    })
    void server.then((result) => reject(new Error(`ao-api exited ${result.exitCode}: ${result.stderr}`)))
  })
  return {
    url,
    post: async (path, body) => {
      const response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body)
      })
      return { status: response.status, body: (await response.json()) as unknown }
    },
    stop: async () => {
      server.kill("SIGTERM")
      await server
    }
  }
}
