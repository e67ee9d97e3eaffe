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
  Unauthorized: {
    status: 401,
    message: "This server requires Authorization: Bearer <token>, or a browser signed in through the one-time URL ao-api printed at start"
  },
  SignInCodeInvalid: { status: 401, message: "This sign-in code is not valid or was already used; restart ao-api for a new sign-in URL" },
  CrossSiteRequest: {
    status: 403,
    message: "Changes are accepted only from this server's own origin or one in AO_API_ALLOWED_ORIGINS, not from a page on another site"
  },
  TooManyStreams: { status: 429, message: "The server follows as many event streams as it allows; close one and retry" },
  StreamFellBehind: {
    status: 503,
    message: "The client read the event stream too slowly to keep up; reconnect with Last-Event-ID to resume"
  },
  TooManyStreamsForClient: { status: 429, message: "This client follows as many event streams as one client may; close one and retry" },
  MalformedAuthorization: { status: 400, message: "The Authorization header is not of the form: Bearer <token>" },
  HostNotAllowed: { status: 403, message: "The Host header names a host this server does not answer for" },
  PayloadTooLarge: { status: 413, message: "The request body is larger than this server accepts" },
  UnsupportedMediaType: { status: 415, message: "Every POST must be sent with Content-Type: application/json (with a body or not)" },
  Interrupted: { status: 503, message: "The request was interrupted before it finished" },
  InternalError: { status: 500, message: "Internal server error; the server log has the details" }
} as const satisfies Record<string, { readonly status: ContentfulStatusCode; readonly message: string }>

export type RefusalTag = keyof typeof REFUSALS

export const refusalBody = (tag: RefusalTag): ErrorView => ({ error: { tag, message: REFUSALS[tag].message, hint: null } })
