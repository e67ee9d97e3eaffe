import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import {
  buildClientSchema,
  execute,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type IntrospectionQuery,
  parse,
  validate
} from "graphql"

/**
 * The emulator's GraphQL endpoint: graphql-js over the schema GitHub publishes
 * (`@octokit/graphql-schema`), so a query the adapter sends is parsed and
 * validated as GitHub would before any resolver runs. Resolvers are the
 * emulator's objects (graphql-resolvers.ts); a field of GitHub's schema the
 * emulator does not serve is a field error that names it.
 */

export type Arguments = Readonly<Record<string, unknown>>

/** An object of GitHub's schema: its type name and a resolver per field it serves. */
export interface GraphqlObject {
  readonly typename: string
  readonly fields: Readonly<Record<string, (args: Arguments) => unknown>>
}

/** A resolver's failure, reported GitHub's way (`type: NOT_FOUND`, …). */
export class FieldError extends Error {
  constructor(
    readonly type: string,
    message: string
  ) {
    super(message)
  }
}

export interface GraphqlError {
  readonly type?: string
  readonly path?: ReadonlyArray<string | number>
  readonly message: string
  readonly locations?: ReadonlyArray<{ readonly line: number; readonly column: number }>
}

export interface GraphqlResponse {
  readonly data?: unknown
  readonly errors?: ReadonlyArray<GraphqlError>
}

const SCHEMA_FILE = join("node_modules", "@octokit", "graphql-schema", "schema.json")

/**
 * The package's own loader reads schema.json beside its module, which a
 * bundle moves; so look for the installed package from this module (source or
 * tools/dist bundle) and from the working directory up.
 */
const findSchemaFile = (): string => {
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()]
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      const candidate = join(dir, SCHEMA_FILE)
      if (existsSync(candidate)) return candidate
      if (dirname(dir) === dir) break
    }
  }
  throw new Error(`GitHub's GraphQL schema (${SCHEMA_FILE}) is not installed above ${starts.join(" or ")}: run npm ci`)
}

let schema: GraphQLSchema | undefined

/** Built once per process, on the first GraphQL request (about half a second) unless prepared before. */
const githubSchema = (): GraphQLSchema => {
  schema ??= buildClientSchema(JSON.parse(readFileSync(findSchemaFile(), "utf8")) as IntrospectionQuery)
  return schema
}

/**
 * Builds the schema now. The standalone emulator does it before it says where it
 * listens: on a machine at load average 30 the build took over 10 s, and inside
 * the first request it ran into the client's timeout.
 */
export const prepareGraphql = (): void => {
  githubSchema()
}

const isGraphqlObject = (value: unknown): value is GraphqlObject =>
  typeof value === "object" && value !== null && "typename" in value && "fields" in value

const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, _context, info) => {
  if (!isGraphqlObject(source)) throw new Error(`The emulator has no object for ${info.parentType.name}`)
  const resolver = source.fields[info.fieldName]
  if (resolver === undefined) {
    throw new FieldError("EMULATOR_UNSUPPORTED", `The GitHub emulator does not serve ${info.parentType.name}.${info.fieldName}`)
  }
  return resolver(args)
}

const typeResolver: GraphQLTypeResolver<unknown, unknown> = (value) => (isGraphqlObject(value) ? value.typename : undefined)

const toGitHubError = (error: GraphQLError): GraphqlError => ({
  ...(error.originalError instanceof FieldError ? { type: error.originalError.type } : {}),
  ...(error.path === undefined ? {} : { path: error.path }),
  ...(error.locations === undefined ? {} : { locations: error.locations }),
  message: error.message
})

/** Parses, validates against GitHub's schema, then runs `query` over `root`. */
export const runGraphql = (
  query: string,
  variables: Arguments,
  operationName: string | undefined,
  root: GraphqlObject
): GraphqlResponse => {
  let document
  try {
    document = parse(query)
  } catch (error) {
    return { errors: [toGitHubError(error as GraphQLError)] }
  }
  const invalid = validate(githubSchema(), document)
  if (invalid.length > 0) return { errors: invalid.map(toGitHubError) }
  const result = execute({
    schema: githubSchema(),
    document,
    rootValue: root,
    variableValues: variables,
    operationName,
    fieldResolver,
    typeResolver
  })
  if ("then" in result) throw new Error("The emulator's resolvers are synchronous")
  return {
    ...(result.data === undefined ? {} : { data: result.data }),
    ...(result.errors === undefined ? {} : { errors: result.errors.map(toGitHubError) })
  }
}
