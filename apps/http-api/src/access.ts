import { InvalidInput } from "@ao/domain"
import { createHash, timingSafeEqual } from "node:crypto"
import { Effect } from "effect"
import type { MiddlewareHandler } from "hono"
import { bearerAuth } from "hono/bearer-auth"
import { refusalBody } from "./error-body"

/**
 * Who may talk to the server, decided once at start. A browser page on any
 * site can reach a loopback port, so the server answers only requests whose
 * Host names it (DNS-rebinding defence), sends no CORS headers unless origins
 * are configured, and refuses to listen beyond loopback without a token.
 */
export interface AccessPolicy {
  /** Host names as URLs spell them: lower case, IPv6 in brackets. */
  readonly allowedHosts: ReadonlySet<string>
  readonly token: string | undefined
  readonly corsOrigins: ReadonlyArray<string>
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"]

/** A host as the URL parser spells it, so it compares with `new URL(...).hostname`. */
const asUrlHostname = (host: string): string => {
  const lower = host.trim().toLowerCase()
  return lower.includes(":") && !lower.startsWith("[") ? `[${lower}]` : lower
}

export const isLoopback = (host: string): boolean => {
  const name = asUrlHostname(host)
  return name === "localhost" || name === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(name)
}

const isWildcard = (host: string): boolean => ["0.0.0.0", "[::]"].includes(asUrlHostname(host))

/** What `Authorization: Bearer` accepts (RFC 6750 token68). */
const TOKEN_PATTERN = /^[A-Za-z0-9._~+/-]+=*$/

export const accessPolicy = (options: {
  readonly host: string
  readonly token: string | undefined
  readonly allowedHosts: ReadonlyArray<string>
  readonly corsOrigins: ReadonlyArray<string>
}): Effect.Effect<AccessPolicy, InvalidInput> => {
  const { host, token } = options
  if (token !== undefined && !TOKEN_PATTERN.test(token)) {
    return Effect.fail(
      new InvalidInput({ field: "API token", input: "(hidden)", reason: "use letters, digits and . _ ~ + / - only" })
    )
  }
  if (token === undefined && !isLoopback(host)) {
    return Effect.fail(
      new InvalidInput({
        field: "--host",
        input: host,
        reason: "listening beyond loopback requires a token: set AO_API_TOKEN"
      })
    )
  }
  const own = isWildcard(host) ? LOOPBACK_NAMES : isLoopback(host) ? [...LOOPBACK_NAMES, host] : [host]
  return Effect.succeed({
    allowedHosts: new Set([...own, ...options.allowedHosts].map(asUrlHostname)),
    token,
    corsOrigins: options.corsOrigins
  })
}

/** The host name a Host header names, as URLs spell it; undefined when it is empty or not a host. */
const hostnameOf = (header: string): string | undefined => {
  try {
    return header.length === 0 ? undefined : new URL(`http://${header}`).hostname
  } catch {
    return undefined
  }
}

/**
 * Refuses requests whose Host the server does not answer for. The header is
 * read as sent: the request URL would fill an empty one with the bound address.
 */
export const hostGuard =
  (allowedHosts: ReadonlySet<string>): MiddlewareHandler =>
  async (c, next) => {
    const header = c.req.header("host")
    const hostname = header === undefined ? new URL(c.req.url).hostname : hostnameOf(header)
    if (hostname === undefined || !allowedHosts.has(hostname)) return c.json(refusalBody("HostNotAllowed"), 403)
    await next()
  }

const digest = (text: string) => createHash("sha256").update(text).digest()

/** Bearer-token check; comparing digests keeps the time independent of where the tokens differ and of their length. */
export const tokenGuard = (token: string): MiddlewareHandler => {
  const expected = digest(token)
  return bearerAuth({
    verifyToken: (given) => timingSafeEqual(digest(given), expected),
    noAuthenticationHeader: { message: refusalBody("Unauthorized") },
    invalidToken: { message: refusalBody("Unauthorized") },
    invalidAuthenticationHeader: { message: refusalBody("MalformedAuthorization") }
  })
}
