import { type DomainError, type DomainErrorTag, InvalidInput, parseSessionName, type SessionName } from "@ao/domain"
import { Effect, ParseResult, Schema } from "effect"

/**
 * One operation of the API, described as data: how its input is validated,
 * what it runs, how its answer is encoded. The router and the OpenAPI
 * document are both built from these, so the document cannot drift from
 * what the handlers accept and return.
 */

export type HttpMethod = "GET" | "POST"

/** A request as it arrives, before anything is trusted. */
export interface RawRequest {
  readonly params: Readonly<Record<string, string>>
  readonly query: Readonly<Record<string, string>>
  /** The body text; empty when none was sent. */
  readonly body: string
}

export interface Answer {
  readonly status: 200 | 201
  readonly body: unknown
}

type PathInput<Path extends string> = Path extends `${string}{name}${string}` ? { readonly name: SessionName } : {}

export interface Endpoint<R> {
  readonly method: HttpMethod
  /** An OpenAPI path template: `/api/sessions/{name}`. */
  readonly path: string
  readonly operationId: string
  readonly summary: string
  /** A struct: each property is one query parameter. */
  readonly query: Schema.Schema.AnyNoContext | undefined
  readonly body: Schema.Schema.AnyNoContext | undefined
  readonly success: { readonly status: 200 | 201; readonly schema: Schema.Schema.AnyNoContext }
  /** Every domain error the handler can fail with, validation included. */
  readonly errors: ReadonlyArray<DomainErrorTag>
  /** A read whose concurrent identical calls may share one run. */
  readonly shared: boolean
  readonly handle: (request: RawRequest) => Effect.Effect<Answer, DomainError, R>
}

/** Errors every endpoint with input can fail with before its use case runs. */
const validationErrors = (path: string, hasInput: boolean): ReadonlyArray<DomainErrorTag> => [
  ...(path.includes("{name}") ? (["InvalidSessionName"] as const) : []),
  ...(hasInput ? (["InvalidInput"] as const) : [])
]

/** The first problem a decode found, as the domain's InvalidInput naming the field. */
const invalidInput = (where: string, input: unknown, error: ParseResult.ParseError): InvalidInput => {
  const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
  const path = issue?.path ?? []
  const field = path.length === 0 ? where : `${where}.${path.map(String).join(".")}`
  const offending = path.reduce<unknown>(
    (value, key) => (typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined),
    input
  )
  const shown = typeof offending === "string" ? offending : (JSON.stringify(offending) ?? "")
  return new InvalidInput({ field, input: shown.slice(0, 120), reason: issue?.message ?? "is not valid" })
}

const strict = { errors: "first", onExcessProperty: "error" } as const

/** Query parameters by a struct schema; an unknown parameter is refused, so a typo never passes silently. */
export const decodeQuery = <Q>(
  schema: Schema.Schema<Q, { readonly [key: string]: string | undefined }>,
  raw: RawRequest["query"]
): Effect.Effect<Q, InvalidInput> =>
  Effect.mapError(Schema.decodeUnknown(schema, strict)(raw), (error) => invalidInput("query", raw, error))

export const endpoint = <
  const Path extends string,
  const Tags extends ReadonlyArray<DomainErrorTag>,
  A,
  AI,
  R,
  Q extends object = {},
  B = {},
  BI = B
>(spec: {
  readonly method: HttpMethod
  readonly path: Path
  readonly operationId: string
  readonly summary: string
  readonly query?: Schema.Schema<Q, { readonly [key: string]: string | undefined }>
  readonly body?: Schema.Schema<B, BI>
  readonly success: { readonly status: 200 | 201; readonly schema: Schema.Schema<A, AI> }
  readonly errors: Tags
  readonly shared?: boolean
  readonly run: (
    input: PathInput<Path> & { readonly query: Q; readonly body: B }
  ) => Effect.Effect<A, Extract<DomainError, { readonly _tag: Tags[number] }>, R>
}): Endpoint<R> => {
  const { query, body, success } = spec
  const decodeQueryOf = (raw: RawRequest["query"]): Effect.Effect<Q, InvalidInput> =>
    query === undefined ? Effect.succeed({} as Q) : decodeQuery(query, raw)
  const decodeBody = (text: string): Effect.Effect<B, InvalidInput> => {
    if (body === undefined) return Effect.succeed({} as B)
    // An empty body is an empty object, so `POST …/kill` needs no `{}`.
    const json = text.trim().length === 0 ? "{}" : text
    return Effect.mapError(Schema.decodeUnknown(Schema.parseJson(body), strict)(json), (error) =>
      invalidInput("body", safeParse(json), error)
    )
  }
  const decodePath = (params: RawRequest["params"]) =>
    spec.path.includes("{name}") ? Effect.map(parseSessionName(params["name"] ?? ""), (name) => ({ name })) : Effect.succeed({})
  const encode = Schema.encode(success.schema)

  return {
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    query,
    body,
    success,
    errors: [...new Set([...validationErrors(spec.path, query !== undefined || body !== undefined), ...spec.errors])],
    shared: spec.shared ?? false,
    handle: (request) =>
      Effect.gen(function* () {
        const path = yield* decodePath(request.params)
        const input = { ...path, query: yield* decodeQueryOf(request.query), body: yield* decodeBody(request.body) }
        const result = yield* spec.run(input as PathInput<Path> & { readonly query: Q; readonly body: B })
        // Our own result failing its schema is a bug, not the client's fault.
        const encoded = yield* Effect.orDie(encode(result))
        return { status: success.status, body: encoded }
      })
  }
}

const safeParse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
