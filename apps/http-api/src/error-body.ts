import { DomainError, hintOf } from "@ao/domain"
import { Schema } from "effect"
import type { ContentfulStatusCode } from "hono/utils/http-status"

/**
 * Every error answer has this shape: the tag to branch on, the message a
 * person reads, the next step when there is one, and the error's own fields
 * (the session id, the path, …) for scripts.
 */
export const ErrorBody = Schema.Struct(
  {
    _tag: Schema.String,
    message: Schema.String,
    hint: Schema.optional(Schema.String)
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
).annotations({ identifier: "ErrorBody", description: "An error: its tag, message, hint, and the error's own fields" })
export type ErrorBody = typeof ErrorBody.Type

const encodeDomainError = Schema.encodeSync(DomainError)

export const domainErrorBody = (error: DomainError): ErrorBody => {
  const hint = hintOf(error)
  const body = { ...encodeDomainError(error), message: error.message }
  return hint === undefined ? body : { ...body, hint }
}

/**
 * Refusals made by the HTTP layer itself, before any use case runs. They
 * share the domain errors' shape so clients handle one kind of error body.
 */
export const REFUSALS = {
  RouteNotFound: { status: 404, message: "No such endpoint; the API is described at /api/openapi.json" },
  MethodNotAllowed: { status: 405, message: "This endpoint does not accept that method" },
  Unauthorized: { status: 401, message: "This server requires Authorization: Bearer <token>" },
  MalformedAuthorization: { status: 400, message: "The Authorization header is not of the form: Bearer <token>" },
  HostNotAllowed: { status: 403, message: "The Host header names a host this server does not answer for" },
  PayloadTooLarge: { status: 413, message: "The request body is larger than this server accepts" },
  UnsupportedMediaType: { status: 415, message: "Request bodies must be JSON (Content-Type: application/json)" },
  Interrupted: { status: 503, message: "The request was interrupted before it finished" },
  InternalError: { status: 500, message: "Internal server error; the server log has the details" }
} as const satisfies Record<string, { readonly status: ContentfulStatusCode; readonly message: string }>

export type RefusalTag = keyof typeof REFUSALS

export const refusalBody = (tag: RefusalTag): ErrorBody => ({ _tag: tag, message: REFUSALS[tag].message })
