import { type DomainErrorTag, ErrorView } from "@ao/domain"
import { JSONSchema, type Schema } from "effect"
import packageJson from "../package.json" with { type: "json" }
import type { Endpoint } from "./endpoint"
import { REFUSALS } from "./error-body"
import { STATUS_OF_ERROR } from "./error-status"

/** A server-sent event stream, documented beside the endpoints. */
export interface StreamRoute {
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly query: Schema.Schema.AnyNoContext
  /** Each message's data, as JSON. */
  readonly event: Schema.Schema.AnyNoContext
  readonly errors: ReadonlyArray<DomainErrorTag>
  /** Messages carry ids, and a client resumes after one with Last-Event-ID. */
  readonly resumable: boolean
}

/**
 * The OpenAPI 3.1 document, generated from the endpoints' own Schemas: what
 * it says a route accepts and returns is what the route decodes and encodes.
 * Named schemas (those with an identifier) land once in components.
 */

type JsonSchema = JSONSchema.JsonSchema7

interface Operation {
  readonly operationId: string
  readonly summary: string
  readonly parameters: ReadonlyArray<unknown>
  readonly requestBody?: unknown
  readonly responses: Record<string, unknown>
}

const errorResponses = (tags: ReadonlyArray<DomainErrorTag>, errorBody: JsonSchema): Record<string, unknown> => {
  const byStatus = new Map<number, Array<string>>()
  for (const tag of tags) byStatus.set(STATUS_OF_ERROR[tag], [...(byStatus.get(STATUS_OF_ERROR[tag]) ?? []), tag])
  return Object.fromEntries(
    [...byStatus].map(([status, statusTags]) => [
      String(status),
      { description: statusTags.join(" | "), content: { "application/json": { schema: errorBody } } }
    ])
  )
}

export const openApiDocument = (endpoints: ReadonlyArray<Endpoint<unknown>>, streams: ReadonlyArray<StreamRoute>) => {
  const definitions: Record<string, JsonSchema> = {}
  const schemaOf = (schema: Schema.Schema.AnyNoContext): JsonSchema =>
    JSONSchema.fromAST(schema.ast, { definitions, definitionPath: "#/components/schemas/", target: "openApi3.1" })
  const errorBody = schemaOf(ErrorView)

  /** Each property of a query struct is one `in: query` parameter. */
  const queryParameters = (query: Schema.Schema.AnyNoContext | undefined) => {
    if (query === undefined) return []
    const object = schemaOf(query)
    const properties = "properties" in object ? object.properties : {}
    const required = "required" in object ? object.required : []
    return Object.entries(properties).map(([name, schema]) => ({
      name,
      in: "query",
      required: required.includes(name),
      schema
    }))
  }
  const nameParameter = {
    name: "name",
    in: "path",
    required: true,
    description: "The session name, e.g. ao-int-1234",
    schema: { type: "string", pattern: "^[a-z0-9][a-z0-9._-]*$", maxLength: 64 }
  }
  const pathParameters = (path: string) => (path.includes("{name}") ? [nameParameter] : [])

  const operations: Array<{ readonly path: string; readonly method: string; readonly operation: Operation }> = endpoints.map(
    (endpoint) => ({
      path: endpoint.path,
      method: endpoint.method.toLowerCase(),
      operation: {
        operationId: endpoint.operationId,
        summary: endpoint.summary,
        parameters: [...pathParameters(endpoint.path), ...queryParameters(endpoint.query)],
        ...(endpoint.body === undefined
          ? {}
          : { requestBody: { required: false, content: { "application/json": { schema: schemaOf(endpoint.body) } } } }),
        responses: {
          [String(endpoint.success.status)]: {
            description: "Success",
            content: { "application/json": { schema: schemaOf(endpoint.success.schema) } }
          },
          ...errorResponses(endpoint.errors, errorBody)
        }
      }
    })
  )
  for (const events of streams) {
    operations.push({
      path: events.path,
      method: "get",
      operation: {
        operationId: events.operationId,
        summary: events.summary,
        parameters: [
          ...pathParameters(events.path),
          ...queryParameters(events.query),
          ...(events.resumable ? [{ name: "Last-Event-ID", in: "header", required: false, schema: { type: "string" } }] : [])
        ],
        responses: {
          "200": {
            description: "A stream of server-sent events; each event's data is one JSON value as x-itemSchema describes",
            content: {
              "text/event-stream": { schema: { type: "string" }, "x-itemSchema": schemaOf(events.event) }
            }
          },
          ...errorResponses(events.errors, errorBody)
        }
      }
    })
  }

  const paths: Record<string, Record<string, Operation>> = {}
  for (const { path, method, operation } of operations) paths[path] = { ...paths[path], [method]: operation }

  const refusals = Object.fromEntries(
    Object.entries(REFUSALS).map(([tag, refusal]) => [tag, { description: `${refusal.status}: ${refusal.message}` }])
  )

  return {
    openapi: "3.1.0",
    info: {
      title: "ao HTTP API",
      version: packageJson.version,
      description:
        'The ao session use cases over HTTP, answering the same JSON as the CLI\'s --json. Every error answers {"error": {"tag", "message", "hint"}}. Besides the domain errors listed per operation, the HTTP layer itself may refuse any request (see x-refusals).'
    },
    servers: [{ url: "/" }],
    security: [{}, { bearer: [] }],
    paths,
    components: {
      schemas: definitions,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Required when the server has a token (AO_API_TOKEN)" }
      }
    },
    "x-refusals": refusals
  }
}
