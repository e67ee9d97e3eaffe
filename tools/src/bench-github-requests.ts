/**
 * `npm run bench:github-requests -w @ao/tools [-- --sizes 1,10,50] [--cli]`:
 * counts the HTTP requests the GitHub adapter makes, against the loopback
 * emulator, for what cleanup asks (every session's issue and PR, fresh) and
 * what `ls` asks (every PR, cached — once cold, once warm), with and without
 * a token. With `--cli`, also runs the built `ao` (build it first:
 * `npm run build -w @ao/cli`) on real sessions spawned for GitHub issues in a
 * sandbox, and counts the requests of `session ls` and `session cleanup
 * --dry-run`. Prints one row per fleet size; the counts come from the emulator.
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { makeGitHubLayer } from "@ao/adapters-tracker"
import { AgentSpec, type Lookup, Project, ProjectId, RepoSlug, Scm, SessionPrefix, Tracker } from "@ao/domain"
import { Effect, Option } from "effect"
import { createSandbox, sandboxConfig, type Sandbox } from "@ao/e2e-harness"
import { type GitHubEmulator, startGitHubEmulator } from "./github-emulator/index"

const { values } = parseArgs({ options: { sizes: { type: "string", default: "1,10,50" }, cli: { type: "boolean", default: false } } })
const SIZES = values.sizes.split(",").map(Number)
const TOKEN = "ghp_benchmarkToken"
const REPO = RepoSlug.make("acme/widgets")

const agent = new AgentSpec({ name: "claude", launch: ["claude"], resume: ["claude", "--continue"], promptFlag: Option.none() })
const project = new Project({
  id: ProjectId.make("widgets"),
  name: "Widgets",
  repo: Option.some(REPO),
  path: "/repos/widgets",
  defaultBranch: "main",
  sessionPrefix: SessionPrefix.make("w"),
  agent,
  agents: [agent],
  worktreeDir: "/worktrees",
  tracker: "github",
  scm: "github",
  idleAfterSeconds: 300
})

const seed = (emulator: GitHubEmulator, sessions: number) => {
  emulator.control.reset()
  for (let n = 1; n <= sessions; n++) {
    emulator.control.setIssue(REPO, { number: n, title: `Issue ${n}`, state: n % 4 === 0 ? "closed" : "open" })
    emulator.control.setPullRequest(REPO, { number: 1000 + n, head: `${n}-work`, state: n % 3 === 0 ? "merged" : "open" })
  }
}

interface Counts {
  readonly cleanup: number
  readonly lsCold: number
  readonly lsWarm: number
}

/** Counting requests is worth nothing unless they answered: every key looked up must be Found or Absent. */
const answered = <A>(what: string, lookups: ReadonlyMap<string, Lookup<A>>, keys: ReadonlyArray<string>) => {
  const unanswered = keys.filter((key) => {
    const lookup = lookups.get(key)
    return lookup === undefined || lookup._tag === "Unknown"
  })
  if (unanswered.length > 0) throw new Error(`${unanswered.length} of ${keys.length} ${what} were not answered, e.g. ${unanswered[0]}: ${JSON.stringify(lookups.get(unanswered[0] ?? ""))}`)
}

/** Requests served for cleanup's fresh lookups, then `ls` twice on one cache. */
const measure = async (emulator: GitHubEmulator, sessions: number, env: Readonly<Record<string, string>>): Promise<Counts> => {
  seed(emulator, sessions)
  const cacheDir = await mkdtemp(join(tmpdir(), "ao-bench-github-"))
  const ids = Array.from({ length: sessions }, (_, index) => String(index + 1))
  const queries = ids.map((id) => ({ sessionId: `w-${id}`, branch: `${id}-work`, url: Option.none() }))
  const servedSince = (before: number) => emulator.control.requestCount() - before
  const program = Effect.gen(function* () {
    const tracker = yield* Tracker
    const scm = yield* Scm
    let before = emulator.control.requestCount()
    const [issues, fresh] = yield* Effect.all([tracker.issues(project, ids), scm.pullRequests(project, queries, "fresh")], {
      concurrency: 2
    })
    const cleanup = servedSince(before)
    answered("issues", issues, ids)
    answered("PRs (fresh)", fresh, queries.map((query) => query.sessionId))
    // A new cache directory state: `ls` right after cleanup would be warm already.
    yield* Effect.promise(() => rm(cacheDir, { recursive: true, force: true }))
    before = emulator.control.requestCount()
    answered("PRs (cold cache)", yield* scm.pullRequests(project, queries, "cached"), queries.map((query) => query.sessionId))
    const lsCold = servedSince(before)
    before = emulator.control.requestCount()
    answered("PRs (warm cache)", yield* scm.pullRequests(project, queries, "cached"), queries.map((query) => query.sessionId))
    return { cleanup, lsCold, lsWarm: servedSince(before) }
  })
  try {
    return await Effect.runPromise(
      Effect.provide(program, makeGitHubLayer({ apiUrl: emulator.url, env, ghCommand: null, cacheDir }))
    )
  } finally {
    await rm(cacheDir, { recursive: true, force: true })
  }
}

/** Requests one `ao` command costs; fails loudly when the command does, or warns that it could not ask GitHub. */
const requestsOf = async (emulator: GitHubEmulator, sandbox: Sandbox, args: ReadonlyArray<string>): Promise<number> => {
  const before = emulator.control.requestCount()
  const result = await sandbox.ao(args)
  if (result.exitCode !== 0) throw new Error(`ao ${args.join(" ")} failed (${result.exitCode}): ${result.stderr}`)
  if (/github/i.test(result.stderr)) throw new Error(`ao ${args.join(" ")} could not ask GitHub: ${result.stderr}`)
  return emulator.control.requestCount() - before
}

/** `ao session ls --json` shows every session's PR: the lookups `ls` counted were answered. */
const everyPullRequestShown = async (sandbox: Sandbox, sessions: number) => {
  const listed = JSON.parse((await sandbox.ao(["session", "ls", "--json"])).stdout) as ReadonlyArray<{ readonly name: string; readonly pr: unknown }>
  const without = listed.filter((row) => row.pr === null).map((row) => row.name)
  if (listed.length !== sessions || without.length > 0) {
    throw new Error(`ao session ls --json listed ${listed.length} of ${sessions} sessions, ${without.length} without their PR: ${without.join(", ")}`)
  }
}

/** The built `ao` on real sessions, each spawned for issue n, with a PR on its branch. */
const measureCli = async (emulator: GitHubEmulator) => {
  emulator.control.reset()
  const sandbox = await createSandbox({
    projectId: "bench",
    config: sandboxConfig({ github: { repo: REPO, apiUrl: emulator.url } }),
    env: { GITHUB_TOKEN: TOKEN }
  })
  try {
    const rows = []
    let spawned = 0
    for (const sessions of SIZES) {
      for (; spawned < sessions; spawned++) {
        const issue = spawned + 1
        emulator.control.setIssue(REPO, { number: issue, title: `Issue ${issue}`, state: issue % 4 === 0 ? "closed" : "open" })
        const result = await sandbox.ao(["spawn", "bench", String(issue)])
        if (result.exitCode !== 0) throw new Error(`ao spawn bench ${issue} failed (${result.exitCode}): ${result.stderr}`)
      }
      const status = JSON.parse((await sandbox.ao(["status", "--json"])).stdout) as ReadonlyArray<{ readonly branch: string }>
      status.forEach((session, index) =>
        emulator.control.setPullRequest(REPO, { number: 1000 + index, head: session.branch, state: index % 3 === 0 ? "merged" : "open" })
      )
      // The PR cache lives in <AO_HOME>/cache: start `ls` cold.
      await rm(join(sandbox.paths.aoHome, "cache"), { recursive: true, force: true })
      rows.push({
        sessions,
        "session ls (cold)": await requestsOf(emulator, sandbox, ["session", "ls"]),
        "session ls (warm)": await requestsOf(emulator, sandbox, ["session", "ls"]).then(async (count) => {
          await everyPullRequestShown(sandbox, sessions)
          return count
        }),
        "session cleanup --dry-run": await requestsOf(emulator, sandbox, ["session", "cleanup", "--dry-run"])
      })
    }
    return rows
  } finally {
    await sandbox.dispose()
  }
}

const emulator = await startGitHubEmulator({ port: 0, token: TOKEN })
try {
  const rows = []
  for (const sessions of SIZES) {
    const withToken = await measure(emulator, sessions, { GITHUB_TOKEN: TOKEN })
    const anonymous = await measure(emulator, sessions, {})
    rows.push({
      sessions,
      "cleanup (issues + PRs, fresh)": withToken.cleanup,
      "ls cold (PRs, cached)": withToken.lsCold,
      "ls warm": withToken.lsWarm,
      "cleanup without token (REST)": anonymous.cleanup
    })
  }
  console.log("HTTP requests to the GitHub emulator (token: GraphQL, batched; no token: REST, at most 10 lookups per call)")
  console.table(rows)
  if (values.cli) {
    console.log("HTTP requests of the built ao (token; issue + PR per session)")
    console.table(await measureCli(emulator))
  }
} finally {
  await emulator.close()
}
