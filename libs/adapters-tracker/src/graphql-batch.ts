import { Lookup } from "@ao/domain"
import { Array as Arr, Effect, Either, ParseResult } from "effect"
import { type GitHubClient, type GraphqlAnswer, type GraphqlFieldError } from "./github-client"
import type { GitHubFailure } from "./github-failure"
import { describeGitHubFailure, GitHubNotFound } from "./github-failure"
import { type RepositoryRef, slugOf } from "./repository"

/**
 * Many lookups in one GraphQL request: every item becomes an aliased field
 * under an aliased `repository`, so 50 sessions cost one request, not 50.
 */

/**
 * Items per request. GitHub's hard limits (500,000 nodes, `first` ≤ 100, a
 * 10-second execution budget) are far away at this size: a PR lookup asks
 * for at most 10 nodes, so a full request stays near 1,000 nodes.
 */
export const MAX_ITEMS_PER_QUERY = 100

export interface BatchItem<A> {
  readonly repo: RepositoryRef
  /** The field under `repository`, without alias: `issue(number: 42) { number title }`. */
  readonly field: string
  /** Made with `Schema.decodeUnknownEither(schema)`. */
  readonly decode: (node: unknown) => Either.Either<A, ParseResult.ParseError>
}

/** A GraphQL string literal (JSON's escaping is a subset of GraphQL's). */
export const graphqlString = (value: string): string => JSON.stringify(value)

interface Placed<A> {
  readonly item: BatchItem<A>
  readonly path: readonly [string, string]
}

const buildQuery = <A>(items: ReadonlyArray<BatchItem<A>>): { readonly query: string; readonly placed: ReadonlyArray<Placed<A>> } => {
  const repositories = new Map<string, { readonly alias: string; readonly repo: RepositoryRef; readonly fields: Array<string> }>()
  const placed = items.map((item, index): Placed<A> => {
    const slug = slugOf(item.repo).toLowerCase()
    const group = repositories.get(slug) ?? { alias: `r${repositories.size}`, repo: item.repo, fields: [] }
    repositories.set(slug, group)
    group.fields.push(`f${index}: ${item.field}`)
    return { item, path: [group.alias, `f${index}`] }
  })
  const body = [...repositories.values()].map(
    (group) =>
      `${group.alias}: repository(owner: ${graphqlString(group.repo.owner)}, name: ${graphqlString(group.repo.name)}) { ${group.fields.join(" ")} }`
  )
  return { query: `query AoBatch { ${body.join(" ")} }`, placed }
}

const startsWith = (path: ReadonlyArray<string | number>, prefix: ReadonlyArray<string | number>) =>
  prefix.every((segment, index) => String(path[index]) === String(segment))

/** An error about the whole answer, the item's repository, the item, or something inside it. */
const concerns = (error: GraphqlFieldError, path: ReadonlyArray<string>) =>
  error.path.length === 0 || startsWith(path, error.path) || startsWith(error.path, path)

const nodeAt = (data: unknown, path: readonly [string, string]): unknown => {
  const repository = typeof data === "object" && data !== null ? (data as Record<string, unknown>)[path[0]] : undefined
  return typeof repository === "object" && repository !== null ? (repository as Record<string, unknown>)[path[1]] : undefined
}

/** What one item's answer means: a field error or a null node is read before the node is decoded. */
const readItem = <A>(answer: GraphqlAnswer, placed: Placed<A>): Lookup<A> => {
  const slug = slugOf(placed.item.repo)
  const errors = answer.errors.filter((error) => concerns(error, placed.path))
  const repositoryError = errors.find((error) => error.path.length === 1)
  if (repositoryError?.type === "NOT_FOUND") {
    return Lookup.unknown(describeGitHubFailure(new GitHubNotFound({ cause: repositoryError }), slug))
  }
  // NOT_FOUND on the item itself is an answer: there is no such issue or PR.
  const other = errors.find((error) => error.type !== "NOT_FOUND" || error.path.length === 0)
  if (other !== undefined) return Lookup.unknown(`GitHub could not answer for ${slug}: ${other.message}`)
  const node = nodeAt(answer.data, placed.path)
  if (node === null || node === undefined) return Lookup.absent()
  return Either.match(placed.item.decode(node), {
    onLeft: (error) => Lookup.unknown(`GitHub answered in an unexpected shape: ${ParseResult.TreeFormatter.formatErrorSync(error)}`),
    onRight: (value) => Lookup.found(value)
  })
}

/** One request per chunk of up to 100 items; a failed request fails the whole batch. */
export const askBatch = <A>(
  client: GitHubClient["Type"],
  items: ReadonlyArray<BatchItem<A>>
): Effect.Effect<ReadonlyArray<Lookup<A>>, GitHubFailure> =>
  Effect.forEach(
    Arr.chunksOf(items, MAX_ITEMS_PER_QUERY),
    (chunk) => {
      const { placed, query } = buildQuery(chunk)
      return Effect.map(client.graphql(query), (answer) => placed.map((entry) => readItem(answer, entry)))
    },
    { concurrency: 2 }
  ).pipe(Effect.map((chunks) => chunks.flat()))

/** One lookup per item, in order; a request that fails makes its items Unknown, never a verdict. */
export const runBatch = <A>(
  client: GitHubClient["Type"],
  items: ReadonlyArray<BatchItem<A>>
): Effect.Effect<ReadonlyArray<Lookup<A>>> =>
  Effect.forEach(
    Arr.chunksOf(items, MAX_ITEMS_PER_QUERY),
    (chunk) =>
      askBatch(client, chunk).pipe(
        Effect.catchAll((failure) => Effect.succeed(chunk.map((item) => Lookup.unknown<A>(describeGitHubFailure(failure, slugOf(item.repo))))))
      ),
    { concurrency: 2 }
  ).pipe(Effect.map((chunks) => chunks.flat()))
