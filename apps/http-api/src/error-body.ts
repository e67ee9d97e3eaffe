import type { ErrorView } from "@ao/domain"
import type { ContentfulStatusCode } from "hono/utils/http-status"

/**
 * Refusals made by the HTTP layer itself, before any use case runs. They
 * answer in the domain's ErrorView shape, like every failed use case (and
 * the CLI's `--json`), so clients handle one kind of error body.
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

export const refusalBody = (tag: RefusalTag): ErrorView => ({ error: { tag, message: REFUSALS[tag].message, hint: null } })
