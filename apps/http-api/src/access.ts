import { InvalidInput } from "@ao/domain"
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { Effect } from "effect"
import type { Context, MiddlewareHandler } from "hono"
import { getCookie, setCookie } from "hono/cookie"
import { refusalBody } from "./error-body"

/**
 * Who may talk to the server, decided once at start. A browser page on any
 * site can reach a loopback port, so the server answers only requests whose
 * Host names it (DNS-rebinding defence), refuses changes a page on another
 * origin asks for (cross-site guard), sends no CORS headers except to the
 * origins configured, and refuses to listen beyond loopback without a token.
 */
export interface AccessPolicy {
  /** Host names as URLs spell them: lower case, IPv6 in brackets. */
  readonly allowedHosts: ReadonlySet<string>
  readonly token: string | undefined
  /** Origins besides the server's own that may change things (and read, through CORS): `https://dash.example`. */
  readonly allowedOrigins: ReadonlySet<string>
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
  readonly allowedOrigins: ReadonlyArray<string>
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
  const origins: Array<string> = []
  for (const origin of options.allowedOrigins) {
    const parsed = originOf(origin)
    if (parsed === undefined) {
      return Effect.fail(
        new InvalidInput({ field: "AO_API_ALLOWED_ORIGINS", input: origin, reason: "an origin is scheme://host[:port], e.g. https://dash.example" })
      )
    }
    origins.push(parsed)
  }
  const own = isWildcard(host) ? LOOPBACK_NAMES : isLoopback(host) ? [...LOOPBACK_NAMES, host] : [host]
  return Effect.succeed({
    allowedHosts: new Set([...own, ...options.allowedHosts].map(asUrlHostname)),
    token,
    allowedOrigins: new Set(origins)
  })
}

/** An origin as browsers send it (`http://127.0.0.1:3000`), or undefined when the text is not one. */
const originOf = (text: string): string | undefined => {
  try {
    const url = new URL(text)
    return ["http:", "https:"].includes(url.protocol) && url.origin === text.replace(/\/$/, "").toLowerCase() ? url.origin : undefined
  } catch {
    return undefined
  }
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

const isJson = (contentType: string | undefined) => /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType ?? "")

/** Methods that change nothing; every other method is a change (or refused as not allowed). */
const isSafeMethod = (method: string) => method === "GET" || method === "HEAD" || method === "OPTIONS"

/**
 * Refuses a change a page on another origin asks for. A browser lets any
 * page send a form POST or a `no-cors` fetch to a loopback port; it cannot
 * send `Content-Type: application/json` cross-origin without a preflight
 * (which this server never grants), and it says where a request comes from
 * in `Origin` and `Sec-Fetch-Site`. So every POST must be JSON — with a body
 * or not — and come from the server's own origin (`http://` + the Host it
 * answered for) or an allowed one; a browser saying cross-site or same-site
 * without an allowed Origin is refused.
 */
export const crossSiteGuard =
  (allowedOrigins: ReadonlySet<string>): MiddlewareHandler =>
  async (c, next) => {
    if (isSafeMethod(c.req.method)) return next()
    const origin = c.req.header("origin")
    if (origin === undefined || !allowedOrigins.has(origin.toLowerCase())) {
      const site = c.req.header("sec-fetch-site")?.toLowerCase()
      if (site === "cross-site" || site === "same-site") return c.json(refusalBody("CrossSiteRequest"), 403)
      if (origin !== undefined && origin.toLowerCase() !== ownOrigin(c)) return c.json(refusalBody("CrossSiteRequest"), 403)
    }
    // Other methods change nothing here: they are answered 405.
    if (c.req.method === "POST" && !isJson(c.req.header("content-type"))) return c.json(refusalBody("UnsupportedMediaType"), 415)
    await next()
  }

/** The origin a page served by this server has: the Host it was reached by (the host guard checked it). */
const ownOrigin = (c: Context) => `http://${(c.req.header("host") ?? new URL(c.req.url).host).toLowerCase()}`

const digest = (text: string) => createHash("sha256").update(text).digest()

const sameSecret = (given: string, expected: Buffer) => timingSafeEqual(digest(given), expected)

/** The cookie a signed-in browser sends. */
export const SIGN_IN_COOKIE = "ao_api_session"
export const SIGN_IN_PATH = "/api/sign-in"

/**
 * How a browser signs in when the server has a token: a page cannot send
 * `Authorization` on an EventSource or a navigation, and the token must not
 * sit in a page. At start the server makes a one-time sign-in code (printed
 * as a URL); opening it once sets an HttpOnly, SameSite=Strict cookie (so
 * no other site's page can send it, and no script can read it) and the code
 * is spent. Only digests are kept, compared in constant time.
 */
export class BrowserSignIn {
  private code: Buffer | undefined
  private readonly sessions = new Set<string>()

  /** Makes a fresh one-time code (any earlier one is void) and returns it. */
  newCode(): string {
    const code = randomBytes(24).toString("base64url")
    this.code = digest(code)
    return code
  }

  /** Spends the code: a new browser session's secret when it matches, undefined otherwise. */
  exchange(code: string): string | undefined {
    if (this.code === undefined || !sameSecret(code, this.code)) return undefined
    this.code = undefined
    const secret = randomBytes(32).toString("base64url")
    this.sessions.add(digest(secret).toString("hex"))
    return secret
  }

  isSignedIn(secret: string | undefined): boolean {
    return secret !== undefined && this.sessions.has(digest(secret).toString("hex"))
  }
}

/**
 * With a token set, every request but `/api/health` needs it: as
 * `Authorization: Bearer` (scripts) or as the sign-in cookie (browsers).
 * `GET /api/sign-in?code=` spends the one-time code and sets the cookie.
 */
export const tokenGuard = (token: string, signIn: BrowserSignIn): MiddlewareHandler => {
  const expected = digest(token)
  return async (c, next) => {
    if (c.req.path === "/api/health") return next()
    if (c.req.path === SIGN_IN_PATH && c.req.method === "GET") {
      const secret = signIn.exchange(c.req.query("code") ?? "")
      if (secret === undefined) return c.json(refusalBody("SignInCodeInvalid"), 401)
      setCookie(c, SIGN_IN_COOKIE, secret, { path: "/", httpOnly: true, sameSite: "Strict" })
      // To the dashboard, which the cookie now opens.
      return c.redirect("/", 303)
    }
    const header = c.req.header("authorization")
    if (header !== undefined) {
      const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header)
      if (match === null) return c.json(refusalBody("MalformedAuthorization"), 400)
      if (!sameSecret(match[1]!, expected)) return c.json(refusalBody("Unauthorized"), 401)
      return next()
    }
    if (signIn.isSignedIn(getCookie(c, SIGN_IN_COOKIE))) return next()
    return c.json(refusalBody("Unauthorized"), 401)
  }
}
