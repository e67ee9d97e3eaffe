import { Lookup } from "@ao/domain"
import { Effect, Either, ParseResult } from "effect"
import type { GitHubClient } from "./github-client"
import { describeGitHubFailure } from "./github-failure"

/**
 * Without a token GitHub's GraphQL API is closed, so lookups fall back to one
 * REST request each — bounded, because anonymous clients get 60 requests an
 * hour. Items past the bound are Unknown with a reason that says what to do.
 */
export const REST_LOOKUP_LIMIT = 10

export const NEEDS_TOKEN =
  `GitHub allows only a few anonymous requests, so at most ${REST_LOOKUP_LIMIT} are checked without a token; ` +
  "set GITHUB_TOKEN or run gh auth login"

export const restLookups = <I, A>(
  items: ReadonlyArray<I>,
  lookup: (item: I) => Effect.Effect<Lookup<A>>
): Effect.Effect<ReadonlyArray<Lookup<A>>> =>
  Effect.forEach(items, (item, index) => (index < REST_LOOKUP_LIMIT ? lookup(item) : Effect.succeed(Lookup.unknown<A>(NEEDS_TOKEN))), {
    concurrency: 4
  })

/** A REST GET read as a lookup: 404 is Absent, any other failure Unknown with its reason. */
export const restGet = <A>(
  client: GitHubClient["Type"],
  request: { readonly route: string; readonly parameters: Readonly<Record<string, string | number>>; readonly repo: string },
  decode: (body: unknown) => Either.Either<Lookup<A>, ParseResult.ParseError>
): Effect.Effect<Lookup<A>> =>
  client.get(request.route, request.parameters).pipe(
    Effect.match({
      onFailure: (failure) =>
        failure._tag === "GitHubNotFound" ? Lookup.absent<A>() : Lookup.unknown<A>(describeGitHubFailure(failure, request.repo)),
      onSuccess: (body) =>
        Either.getOrElse(decode(body), (error) =>
          Lookup.unknown<A>(`GitHub answered in an unexpected shape: ${ParseResult.TreeFormatter.formatErrorSync(error)}`)
        )
    })
  )
