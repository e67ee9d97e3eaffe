import { execa } from "execa"
import { existsSync } from "node:fs"
import { join } from "node:path"
import type { Sandbox } from "./sandbox"
import { workspaceRoot } from "./workspace-root"

/** The built `ao-api` (npm run build -w @ao/http-api). */
export const apiBundle = (): string => join(workspaceRoot(), "apps", "http-api", "dist", "ao-api.js")

export interface ApiAnswer {
  readonly status: number
  readonly body: unknown
}

export interface ApiServer {
  readonly url: string
  /** With AO_API_TOKEN set: the one-time browser sign-in URL the server printed. */
  readonly signInUrl: string | undefined
  readonly pid: number
  readonly get: (path: string) => Promise<ApiAnswer>
  /** POSTs `body` as JSON. */
  readonly post: (path: string, body: unknown) => Promise<ApiAnswer>
  /** Sends `signal` (SIGTERM unless told) and waits for the server to exit. */
  readonly stop: (signal?: NodeJS.Signals) => Promise<{ readonly exitCode: number | undefined }>
}

const answerOf = async (response: Response): Promise<ApiAnswer> => ({
  status: response.status,
  body: (await response.json()) as unknown
})

/**
 * The built `ao-api` on a free loopback port, in the sandbox: the same store,
 * tmux server and repository as the CLI run there. Resolves once it listens.
 */
export const startApiServer = async (
  sandbox: Sandbox,
  options: { readonly env?: Readonly<Record<string, string>> } = {}
): Promise<ApiServer> => {
  const bundle = apiBundle()
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build -w @ao/http-api`)
  const env = { ...sandbox.env, ...options.env }
  const server = execa("node", [bundle, "--port", "0"], { cwd: sandbox.paths.repo, env, extendEnv: false, reject: false })
  const { url, signInUrl } = await new Promise<{ readonly url: string; readonly signInUrl: string | undefined }>((resolve, reject) => {
    let output = ""
    server.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString()
      const listening = /listening on (http:\/\/\S+)/.exec(output)?.[1]
      const signIn = /sign-in \(works once\): (http:\/\/\S+)/.exec(output)?.[1]
      if (listening !== undefined && (env["AO_API_TOKEN"] === undefined || signIn !== undefined)) resolve({ url: listening, signInUrl: signIn })
    })
    void server.then((result) => reject(new Error(`ao-api exited ${result.exitCode}: ${result.stderr}`)))
  })
  return {
    url,
    signInUrl,
    pid: server.pid ?? -1,
    get: async (path) => answerOf(await fetch(`${url}${path}`)),
    post: async (path, body) =>
      answerOf(
        await fetch(`${url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body)
        })
      ),
    stop: async (signal = "SIGTERM") => {
      server.kill(signal)
      const result = await server
      return { exitCode: result.exitCode }
    }
  }
}
