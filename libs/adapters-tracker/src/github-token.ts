import { execFile } from "node:child_process"
import { Effect, Option, Redacted } from "effect"

/** Where a GitHub token may come from, in order of preference. */
export interface GitHubTokenSources {
  /** Read for GITHUB_TOKEN, then GH_TOKEN. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The `gh` executable to ask (`gh auth token`) when the environment has none; null never asks. */
  readonly ghCommand: string | null
  /** The host `gh` is logged in to (github.com, or an Enterprise host). */
  readonly host: string
}

const GH_TIMEOUT_MS = 5_000

const fromEnv = (env: GitHubTokenSources["env"]): Option.Option<string> =>
  Option.fromNullable([env["GITHUB_TOKEN"], env["GH_TOKEN"]].find((token) => token !== undefined && token.trim() !== "")).pipe(
    Option.map((token) => token.trim())
  )

/**
 * The token of a logged-in `gh`. Not having one is an answer, not a failure:
 * `gh` missing, not logged in or too slow all mean "no token", and public
 * repositories still work without.
 */
const fromGh = (command: string, host: string): Effect.Effect<Option.Option<string>> =>
  Effect.async<Option.Option<string>>((resume, signal) => {
    execFile(command, ["auth", "token", "--hostname", host], { timeout: GH_TIMEOUT_MS, signal }, (error, stdout) => {
      const token = stdout.trim()
      resume(Effect.succeed(error === null && token !== "" ? Option.some(token) : Option.none()))
    })
  })

/** Resolved once, when GitHub is first asked something; wrapped so it never prints. */
export const resolveGitHubToken = (sources: GitHubTokenSources): Effect.Effect<Option.Option<Redacted.Redacted<string>>> =>
  Option.match(fromEnv(sources.env), {
    onSome: (token) => Effect.succeed(Option.some(token)),
    onNone: () => (sources.ghCommand === null ? Effect.succeed(Option.none()) : fromGh(sources.ghCommand, sources.host))
  }).pipe(Effect.map(Option.map(Redacted.make)))

/** The host a `gh` login is kept under for an API base URL. */
export const ghHostOf = (apiUrl: string): string => {
  const host = URL.canParse(apiUrl) ? new URL(apiUrl).host : "github.com"
  return host === "api.github.com" ? "github.com" : host
}
