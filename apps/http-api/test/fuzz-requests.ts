/**
 * Malformed and random requests, as raw bytes, from a seeded PRNG so a
 * failing run replays exactly. Every request generated here is wrong in at
 * least one way, so the only right answers are 4xx.
 */
import type { SeededRandom } from "@ao/e2e-harness"

export interface Route {
  readonly method: string
  /** An OpenAPI template: `/api/sessions/{name}`. */
  readonly path: string
  readonly hasBody: boolean
}

export interface FuzzRequest {
  readonly kind: string
  readonly bytes: Buffer
}

const PRINTABLE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!$&'()*+,;=:@"
const ODD = `%/\\..\u0000\u00e9\u4e2d\u{1f600} "'<>{}|^\`[]#?`

/** Names no session can have: upper case, dots, slashes, encodings, too long, empty. */
const oddName = (random: SeededRandom): string =>
  random.pick([
    () => encodeURIComponent(random.string(ODD + PRINTABLE, 20)),
    () => `${random.string("abc", 3)}%2F..%2F${random.string("abc", 3)}`,
    () => "x".repeat(65 + random.int(500)),
    () => `-${random.string("abc123", 8)}`,
    () => random.string("ABCDEFGHIJ", 10),
    () => `${random.string("abc", 4)}..${random.string("abc", 4)}`,
    () => `%${random.string("0123456789abcdefgXYZ", 2)}`,
    () => `${random.string("abc", 4)}%20${random.string("abc", 4)}`,
    () => `${random.string("abc", 4)}%00`
  ])()

const fill = (path: string, random: SeededRandom) => path.replace("{name}", () => oddName(random))

/** A valid-looking name: it reaches the use case, which must answer 4xx for a session that does not exist. */
const unknownName = (random: SeededRandom) => `zz-${random.string("abcdefghij0123456789", 12)}`

const badJson = (random: SeededRandom): string =>
  random.pick([
    () => "{",
    () => '{"project": }',
    () => "[1, 2",
    () => random.string(PRINTABLE + ODD, 200),
    () => '{"a": "\\ud800"}x',
    () => "nul",
    () => "{'single': 'quotes'}",
    () => '{"recreate": "yes"}',
    () => '{"message": 42}',
    () => '{"project": "../etc", "issue": "INT 1"}',
    () => JSON.stringify({ unknownField: random.string(PRINTABLE, 10) }),
    () => JSON.stringify(random.string(PRINTABLE, 30)),
    () => "[]",
    () => "null",
    () => "123",
    () => `{"message": "${"\\u0000".repeat(3)}"}x`
  ])()

const httpRequest = (options: {
  readonly method: string
  readonly target: string
  readonly host?: string
  readonly headers?: ReadonlyArray<string>
  readonly body?: string | Buffer
}): Buffer => {
  const body = typeof options.body === "string" ? Buffer.from(options.body) : (options.body ?? Buffer.alloc(0))
  const lines = [
    `${options.method} ${options.target} HTTP/1.1`,
    ...(options.host === undefined ? [] : [`Host: ${options.host}`]),
    "Connection: close",
    ...(options.headers ?? []),
    ...(body.length > 0 || options.body !== undefined ? [`Content-Length: ${body.length}`] : [])
  ]
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`), body])
}

/** A body each change would accept, so only where it comes from can make it refused. */
const VALID_BODIES: Readonly<Record<string, string>> = {
  "/api/sessions": '{"project": "my-app"}',
  "/api/sessions/{name}/restore": "{}",
  "/api/sessions/{name}/messages": '{"message": "hello"}',
  "/api/sessions/{name}/keys": '{"key": "C-c"}',
  "/api/restore": "{}",
  "/api/cleanup": "{}"
}

/**
 * A change as a page on another site can send it — a form POST, a `no-cors`
 * fetch, a `text/plain` body, JSON from a foreign or `null` Origin, or a
 * browser's Sec-Fetch-Site: cross-site — with a body the route would
 * otherwise accept. The only right answers are 403 and 415.
 */
export const crossSiteRequest = (random: SeededRandom, routes: ReadonlyArray<Route>, host: string, name: string): FuzzRequest => {
  const target = random.pick(routes.filter((candidate) => candidate.method === "POST"))
  const body = VALID_BODIES[target.path] ?? ""
  const origin = random.pick(["https://evil.example", "null", "http://127.0.0.1:1", "http://localhost.evil.example", `http://${host}.evil.example`])
  const headers = random.pick([
    () => ["Content-Type: application/x-www-form-urlencoded", `Origin: ${origin}`, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate"],
    () => ["Content-Type: text/plain;charset=UTF-8", `Origin: ${origin}`, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors"],
    () => ["Content-Type: multipart/form-data; boundary=x", "Sec-Fetch-Site: same-site"],
    () => ["Content-Type: text/plain"],
    () => [],
    () => ["Content-Type: application/json", `Origin: ${origin}`],
    () => ["Content-Type: application/json", "Sec-Fetch-Site: cross-site"],
    () => ["Content-Type: application/json", "Sec-Fetch-Site: same-site", `Origin: http://${host}`]
  ])()
  return {
    kind: "cross-site change",
    bytes: httpRequest({ method: "POST", target: target.path.replace("{name}", name), host, headers, body })
  }
}

/** One malformed request against the routes of a server listening on `host`. */
export const fuzzRequest = (random: SeededRandom, routes: ReadonlyArray<Route>, host: string): FuzzRequest => {
  const route = random.pick(routes)
  const withBody = routes.filter((candidate) => candidate.hasBody)
  const named = routes.filter((candidate) => candidate.path.includes("{name}"))
  const generators: ReadonlyArray<() => FuzzRequest> = [
    () => crossSiteRequest(random, routes, host, unknownName(random)),
    () => {
      const target = random.pick(withBody)
      return {
        kind: "bad JSON body",
        bytes: httpRequest({
          method: target.method,
          target: target.path.replace("{name}", unknownName(random)),
          host,
          headers: ["Content-Type: application/json"],
          body: badJson(random)
        })
      }
    },
    () => {
      const target = random.pick(withBody)
      return {
        kind: "huge body",
        bytes: httpRequest({
          method: target.method,
          target: target.path.replace("{name}", unknownName(random)),
          host,
          headers: ["Content-Type: application/json"],
          body: `{"message": "${"a".repeat(70_000 + random.int(200_000))}"}`
        })
      }
    },
    () => {
      const target = random.pick(withBody)
      return {
        kind: "body that is not JSON",
        bytes: httpRequest({
          method: target.method,
          target: target.path.replace("{name}", unknownName(random)),
          host,
          headers: [`Content-Type: ${random.pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/xml"])}`],
          body: "project=agent-orchestrator"
        })
      }
    },
    () => {
      const target = random.pick(named)
      return { kind: "odd session name", bytes: httpRequest({ method: target.method, target: fill(target.path, random), host, ...(target.hasBody ? { headers: ["Content-Type: application/json"], body: "{}" } : {}) }) }
    },
    () => {
      const target = random.pick(named)
      return {
        kind: "unknown session",
        bytes: httpRequest({
          method: target.method,
          target: target.path.replace("{name}", unknownName(random)),
          host,
          ...(target.hasBody ? { headers: ["Content-Type: application/json"], body: '{"message": "hello"}' } : {})
        })
      }
    },
    () => {
      const taken = new Set(routes.filter((candidate) => candidate.path === route.path).map((candidate) => candidate.method))
      const method = random.pick(["PUT", "PATCH", "DELETE", "POST", "GET", "OPTIONS", "TRACE", "PROPFIND", "CONNECT"].filter((m) => !taken.has(m)))
      return { kind: "wrong method", bytes: httpRequest({ method, target: route.path.replace("{name}", unknownName(random)), host }) }
    },
    () => ({
      kind: "bad Host",
      bytes: httpRequest({
        method: route.method,
        target: route.path.replace("{name}", unknownName(random)),
        host: random.pick([
          "evil.example",
          `${random.string("abcdefghij", 10)}.example:${random.int(65536)}`,
          "127.0.0.1.nip.io",
          "localhost.evil.example",
          "[::2]",
          "0.0.0.0",
          "",
          "a b",
          "exa\u0000mple",
          "%31%32%37.0.0.1",
          random.string(PRINTABLE, 40)
        ])
      })
    }),
    () => ({ kind: "no Host", bytes: httpRequest({ method: "GET", target: "/api/health" }) }),
    () => ({
      kind: "unknown query parameter or value",
      bytes: httpRequest({
        method: "GET",
        target: random.pick([
          `/api/sessions?${random.string("abcdefgh", 6)}=1`,
          `/api/sessions?project=${encodeURIComponent(random.string(ODD, 10))}`,
          `/api/sessions?all=${random.pick(["maybe", "1", "yes", "TRUE", ""])}`,
          `/api/events?after=${encodeURIComponent(random.string(" \u00e9\u0000" + ODD, 10))}`,
          `/api/events?after=${random.int(1_000_000_000) + 1}`,
          `/api/events?replay=${random.pick(["1", "yes", ""])}`,
          `/api/events?session=${encodeURIComponent(oddName(random))}`,
          `/api/cleanup?project=${encodeURIComponent(random.string(ODD, 10))}`,
          `/api/status?${random.string("xyz", 4)}=${random.string("abc", 4)}`
        ]),
        host
      })
    }),
    () => ({
      kind: "unknown path",
      bytes: httpRequest({
        method: random.pick(["GET", "POST"]),
        target: `/${random.pick(["api/", "", "api/sessions/x/", "api/sessions/ao-1/kill/"])}${encodeURIComponent(random.string(PRINTABLE, 30))}`,
        host
      })
    }),
    () => ({
      kind: "garbage request line",
      bytes: Buffer.from(
        random.pick([
          () => `${random.string(PRINTABLE + " ", 60)}\r\n\r\n`,
          () => "GET /api/health HTTP/9.9\r\n\r\n",
          () => `GET ${"/a".repeat(20_000)} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
          () => `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`,
          () => `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nBad Header Name: x\r\n\r\n`,
          () => `POST /api/sessions HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
          () => `POST /api/sessions HTTP/1.1\r\nHost: ${host}\r\nContent-Length: -1\r\n\r\n`
        ])()
      )
    })
  ]
  return random.pick(generators)()
}
