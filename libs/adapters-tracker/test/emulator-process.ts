import { type ChildProcess, spawn } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { build } from "esbuild"

/**
 * The GitHub emulator (tools/src/github-emulator) as a child process: adapters
 * may not import tools, so the test bundles its CLI entry, starts it on an
 * ephemeral loopback port and drives it over its `/_emulator/*` admin routes.
 */

const ENTRY = join(import.meta.dirname, "..", "..", "..", "tools", "src", "github-emulator", "main.ts")

export interface EmulatorFailure {
  readonly kind: "rate-limited" | "secondary-rate-limited" | "unauthorized" | "server-error" | "slow"
  readonly resetAt?: string
  readonly retryAfterSeconds?: number
  readonly status?: number
  readonly times?: number
  readonly delayMs?: number
}

export interface IssueSeed {
  readonly number: number
  readonly title: string
  readonly state?: string
  readonly stateReason?: string | null
  readonly body?: string
  readonly labels?: ReadonlyArray<string>
  readonly comments?: ReadonlyArray<{ readonly author: string; readonly body: string; readonly createdAt: string }>
}

export interface PullRequestSeed {
  readonly number: number
  readonly head: string
  readonly state: string
}

export interface ServedRequests {
  readonly count: number
  readonly requests: ReadonlyArray<{ readonly method: string; readonly path: string; readonly status: number }>
}

export interface EmulatorProcess {
  readonly url: string
  readonly reset: () => Promise<void>
  /** Returns the URL of what was seeded. */
  readonly setIssue: (repo: string, issue: IssueSeed) => Promise<string>
  readonly setPullRequest: (repo: string, pr: PullRequestSeed) => Promise<string>
  readonly addRepository: (repo: string, options?: { readonly private?: boolean }) => Promise<void>
  readonly removeRepository: (repo: string) => Promise<void>
  readonly fail: (failure: EmulatorFailure | null) => Promise<void>
  readonly requests: () => Promise<ServedRequests>
  /** Any admin route (`/repos/o/r/pulls/7/review`, `/merges`, …) with a JSON body; its JSON answer. */
  readonly admin: (method: string, path: string, body?: unknown) => Promise<unknown>
  readonly stop: () => Promise<void>
}

const firstLine = (child: ChildProcess): Promise<string> =>
  new Promise((resolve, reject) => {
    if (child.stdout === null) return reject(new Error("the emulator has no stdout"))
    const lines = createInterface({ input: child.stdout })
    lines.once("line", (line) => {
      lines.close()
      resolve(line.trim())
    })
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code} before printing its URL`)))
  })

export const startEmulatorProcess = async (options: { readonly token: string }): Promise<EmulatorProcess> => {
  const dir = await mkdtemp(join(tmpdir(), "ao-github-emulator-"))
  const bundle = join(dir, "github-emulator.mjs")
  await build({ entryPoints: [ENTRY], bundle: true, platform: "node", format: "esm", outfile: bundle, logLevel: "error" })
  // stdin stays a pipe: the emulator exits when it closes, even if this process dies first.
  const child = spawn(process.execPath, [bundle, "--port", "0", "--token", options.token], { stdio: ["pipe", "pipe", "inherit"] })
  const url = await firstLine(child)

  const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${url}/_emulator${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } })
    })
    if (!response.ok) throw new Error(`emulator ${method} ${path}: ${response.status}`)
    return response.json()
  }

  return {
    url,
    reset: async () => void (await admin("POST", "/reset")),
    setIssue: async (repo, issue) => ((await admin("POST", `/repos/${repo}/issues`, issue)) as { url: string }).url,
    setPullRequest: async (repo, pr) => ((await admin("POST", `/repos/${repo}/pulls`, pr)) as { url: string }).url,
    addRepository: async (repo, options = {}) => void (await admin("POST", `/repos/${repo}`, options)),
    removeRepository: async (repo) => void (await admin("DELETE", `/repos/${repo}`)),
    fail: async (failure) => void (await (failure === null ? admin("DELETE", "/failure") : admin("POST", "/failure", failure))),
    requests: async () => (await admin("GET", "/requests")) as ServedRequests,
    admin,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve))
        child.kill("SIGTERM")
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    }
  }
}
