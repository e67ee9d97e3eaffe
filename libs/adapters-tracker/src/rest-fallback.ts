import { Lookup } from "@ao/domain"
import { Effect, Either, ParseResult } from "effect"
import type { GitHubClient } from "./github-client"
import { describeGitHubFailure } from "./github-failure"
import { type RepositoryRef, slugOf } from "./repository"

/**
 * Without a token GitHub's GraphQL API is closed, so lookups fall back to one
 * REST request each — bounded, because anonymous clients get 60 requests an
 * hour. Items past the bound are Unknown with a reason that says what to do.
 */
export const REST_LOOKUP_LIMIT = 10

export const NEEDS_TOKEN =
  `GitHub allows only a few anonymous requests, so at most ${REST_LOOKUP_LIMIT} are checked without a token; ` +
  "set GITHUB_TOKEN or run gh auth login"

/** What one REST GET tells: a lookup, or a 404 that means nothing until the repository is known to be visible. */
export type RestAnswer<A> = Lookup<A> | { readonly _tag: "NotFound"; readonly repo: RepositoryRef }

/**
 * GitHub answers 404 alike for a missing issue or PR, a mistyped repository
 * and a private one asked about without a token. So when any item met a 404,
 * its repository is asked about once: if it is visible the 404s are Absent,
 * otherwise they are Unknown with the reason, never "no PR" or "no issue".
 */
export const restLookups = <I, A>(
  client: GitHubClient["Type"],
  items: ReadonlyArray<I>,
  lookup: (item: I) => Effect.Effect<RestAnswer<A>>
): Effect.Effect<ReadonlyArray<Lookup<A>>> =>
  Effect.gen(function* () {
    const answers = yield* Effect.forEach(
      items,
      (item, index) => (index < REST_LOOKUP_LIMIT ? lookup(item) : Effect.succeed(Lookup.unknown<A>(NEEDS_TOKEN))),
      { concurrency: 4 }
    )
    const unseen = new Map(
      answers.flatMap((answer) => (answer._tag === "NotFound" ? [[slugOf(answer.repo).toLowerCase(), answer.repo] as const] : []))
    )
    const visibility = new Map(
      yield* Effect.forEach(
        [...unseen],
        ([key, repo]) => Effect.map(repositoryVisibility(client, repo), (reason) => [key, reason] as const),
        { concurrency: 4 }
      )
    )
    return answers.map((answer): Lookup<A> => {
      if (answer._tag !== "NotFound") return answer
      const hidden = visibility.get(slugOf(answer.repo).toLowerCase())
      return hidden === undefined || hidden === null ? Lookup.absent() : Lookup.unknown(hidden)
    })
  })

/** Null when the repository can be read without a token; otherwise why not. */
const repositoryVisibility = (client: GitHubClient["Type"], repo: RepositoryRef): Effect.Effect<string | null> =>
  client.get("/repos/{owner}/{repo}", { owner: repo.owner, repo: repo.name }).pipe(
    Effect.match({
      onSuccess: () => null,
      onFailure: (failure) =>
        failure._tag === "GitHubNotFound"
          ? `GitHub repository ${slugOf(repo)} not found, or it is private and no GitHub token was found; ` +
            "check the repo in the config, or set GITHUB_TOKEN or GH_TOKEN, or run: gh auth login"
          : describeGitHubFailure(failure, slugOf(repo))
    })
  )

/** A REST GET read as an answer: 404 is NotFound (see restLookups), any other failure Unknown with its reason. */
export const restGet = <A>(
  client: GitHubClient["Type"],
  request: { readonly route: string; readonly parameters: Readonly<Record<string, string | number>>; readonly repo: RepositoryRef },
  decode: (body: unknown) => Either.Either<Lookup<A>, ParseResult.ParseError>
): Effect.Effect<RestAnswer<A>> =>
  client.get(request.route, request.parameters).pipe(
    Effect.match({
      onFailure: (failure): RestAnswer<A> =>
        failure._tag === "GitHubNotFound"
          ? { _tag: "NotFound", repo: request.repo }
          : Lookup.unknown<A>(describeGitHubFailure(failure, slugOf(request.repo))),
      onSuccess: (body): RestAnswer<A> =>
        Either.getOrElse(decode(body), (error) =>
          Lookup.unknown<A>(`GitHub answered in an unexpected shape: ${ParseResult.TreeFormatter.formatErrorSync(error)}`)
        )
    })
  )
