import { execa } from "execa"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { workspaceRoot } from "./workspace-root"

/** The loopback GitHub emulator (tools/src/github-emulator) as a child process, driven over its admin routes. */
export interface GitHubEmulatorProcess {
  /** The API base URL: give it to ao as GITHUB_API_URL. */
  readonly url: string
  readonly token: string
  readonly setIssue: (
    slug: string,
    issue: {
      readonly number: number
      readonly title: string
      readonly state?: "open" | "closed"
      readonly body?: string
      readonly labels?: ReadonlyArray<string>
      /** Oldest first. */
      readonly comments?: ReadonlyArray<{ readonly author: string; readonly body: string; readonly createdAt: string }>
    }
  ) => Promise<string>
  readonly setPullRequest: (
    slug: string,
    pr: { readonly number: number; readonly head: string; readonly state: "open" | "closed" | "merged" }
  ) => Promise<string>
  /** Creates a repository with nothing in it; a private one is invisible without a token. */
  readonly addRepository: (slug: string, options?: { readonly private?: boolean }) => Promise<void>
  /**
   * From now on every API request fails this way (a 5xx — `status`, default 500 — `times` times, or until healed;
   * a rate limit until `resetAt`, an ISO time, default an hour away); `null` heals it.
   */
  readonly fail: (
    failure: {
      readonly kind: "server-error" | "unauthorized" | "rate-limited"
      readonly status?: number
      readonly times?: number
      readonly resetAt?: string
    } | null
  ) => Promise<void>
  /** Sets a PR's checks, statuses, reviews, threads, SHAs or mergeability (tools/src/github-emulator/pull-request-review.ts). */
  readonly setPullRequestReview: (slug: string, number: number, patch: Readonly<Record<string, unknown>>) => Promise<void>
  /** API requests served so far. */
  readonly requestCount: () => Promise<number>
  readonly stop: () => Promise<void>
}

const emulatorBundle = () => join(workspaceRoot(), "tools", "dist", "github-emulator.mjs")

/** Builds the emulator's bundle when it is missing (esbuild, well under a second). */
const ensureBuilt = async (): Promise<string> => {
  const bundle = emulatorBundle()
  if (!existsSync(bundle)) {
    await execa("npm", ["run", "--silent", "build:github-emulator", "-w", "@ao/tools"], { cwd: workspaceRoot() })
  }
  return bundle
}

export const startGitHubEmulatorProcess = async (token = "e2e-token"): Promise<GitHubEmulatorProcess> => {
  // stdin stays a pipe: the emulator exits when it closes, so a crashed test leaves nothing behind.
  const child = execa("node", [await ensureBuilt(), "--port", "0", "--token", token], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
    reject: false
  })
  if (child.stdout === null) throw new Error("the emulator has no stdout")
  const lines = createInterface({ input: child.stdout })
  const url = await new Promise<string>((resolve, reject) => {
    lines.once("line", (line) => resolve(line.trim()))
    void child.then((result) => reject(new Error(`the GitHub emulator exited early: ${result.exitCode}`)))
  })
  const admin = async (
    path: string,
    body: unknown,
    method: "GET" | "POST" | "DELETE" = body === undefined ? "GET" : "POST"
  ): Promise<{ readonly url?: string; readonly count?: number }> => {
    const response = await fetch(`${url}/_emulator${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${await response.text()}`)
    return (await response.json()) as { readonly url?: string; readonly count?: number }
  }
  return {
    url,
    token,
    setIssue: async (slug, issue) => (await admin(`/repos/${slug}/issues`, issue)).url ?? "",
    setPullRequest: async (slug, pr) => (await admin(`/repos/${slug}/pulls`, pr)).url ?? "",
    addRepository: async (slug, options = {}) => {
      await admin(`/repos/${slug}`, options)
    },
    fail: async (failure) => {
      await (failure === null ? admin("/failure", undefined, "DELETE") : admin("/failure", failure))
    },
    setPullRequestReview: async (slug, number, patch) => {
      await admin(`/repos/${slug}/pulls/${number}/review`, patch)
    },
    requestCount: async () => (await admin("/requests", undefined)).count ?? 0,
    stop: async () => {
      child.kill("SIGTERM")
      await child
    }
  }
}
