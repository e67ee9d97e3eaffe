import { Effect, Either } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { accessPolicy } from "../src/access"
import { loopbackAccess, type MemoryApi, memoryApi, request } from "./memory-api"

let api: MemoryApi | undefined
afterEach(async () => {
  await api?.dispose()
  api = undefined
})

const policy = (options: Partial<Parameters<typeof accessPolicy>[0]>) =>
  Effect.runSync(Effect.either(accessPolicy({ host: "127.0.0.1", token: undefined, allowedHosts: [], allowedOrigins: [], ...options })))

describe("who may listen where", () => {
  it("refuses to listen beyond loopback without a token", () => {
    const refused = policy({ host: "0.0.0.0" })
    expect(Either.isLeft(refused) && refused.left._tag === "InvalidInput" && refused.left.field === "--host").toBe(true)
    expect(Either.isLeft(policy({ host: "192.168.1.20" }))).toBe(true)
    expect(Either.isRight(policy({ host: "192.168.1.20", token: "s3cret-token" }))).toBe(true)
    expect(Either.isRight(policy({ host: "::1" }))).toBe(true)
    expect(Either.isRight(policy({ host: "localhost" }))).toBe(true)
  })

  it("refuses a token that cannot travel in a Bearer header", () => {
    expect(Either.isLeft(policy({ token: "has space" }))).toBe(true)
  })

  it("answers for loopback names and configured hosts only", () => {
    const lan = policy({ host: "192.168.1.20", token: "t0ken", allowedHosts: ["ao.example.org", "::1"] })
    expect(Either.isRight(lan) && [...lan.right.allowedHosts].sort()).toEqual(["192.168.1.20", "[::1]", "ao.example.org"])
  })
})

describe("the Host header (DNS-rebinding defence)", () => {
  it("answers requests that name the server by its loopback names", async () => {
    api = await memoryApi()
    for (const origin of ["http://127.0.0.1:3000", "http://localhost:3000", "http://[::1]:3000"]) {
      expect((await api.app.request(`${origin}/api/health`)).status).toBe(200)
    }
  })

  it("refuses a Host it does not answer for, before any use case runs", async () => {
    api = await memoryApi()
    const response = await api.app.request("http://evil.example:3000/api/sessions")
    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({ error: { tag: "HostNotAllowed" } })
  })

  it("refuses an empty or malformed Host header as sent, whatever the URL says", async () => {
    api = await memoryApi()
    for (const host of ["", "evil.example", "a b", "127.0.0.1.nip.io"]) {
      expect((await request(api, "/api/health", { headers: { host } })).status, host).toBe(403)
    }
    expect((await request(api, "/api/health", { headers: { host: "127.0.0.1:3000" } })).status).toBe(200)
  })

  it("answers a configured allowed host", async () => {
    api = await memoryApi({ access: loopbackAccess({ allowedHosts: ["ao.internal"] }) })
    expect((await api.app.request("http://ao.internal/api/health")).status).toBe(200)
  })
})

describe("the bearer token and the browser sign-in", () => {
  const withToken = () => memoryApi({ access: loopbackAccess({ token: "correct-horse" }) })
  const bearer = { authorization: "Bearer correct-horse" }

  it("leaves /api/health open, saying only that the server is alive", async () => {
    api = await withToken()
    const response = await request(api, "/api/health")
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: "ok" })
  })

  it("is required on every other request when configured", async () => {
    api = await withToken()
    for (const path of ["/api/sessions", "/api/openapi.json", "/api/events", "/api/no-such-route"]) {
      const response = await request(api, path)
      expect(response.status, path).toBe(401)
      expect(await response.json()).toMatchObject({ error: { tag: "Unauthorized" } })
    }
  })

  it("refuses a wrong token, and a header that is not a Bearer token", async () => {
    api = await withToken()
    expect((await request(api, "/api/sessions", { headers: { authorization: "Bearer correct-horsf" } })).status).toBe(401)
    expect((await request(api, "/api/sessions", { headers: { authorization: "Bearer correct" } })).status).toBe(401)
    expect((await request(api, "/api/sessions", { headers: { authorization: "Basic Y29ycmVjdC1ob3JzZQ==" } })).status).toBe(400)
  })

  it("lets the right token through", async () => {
    api = await withToken()
    expect((await request(api, "/api/sessions", { headers: bearer })).status).toBe(200)
  })

  it("signs a browser in once: the code becomes an HttpOnly SameSite=Strict cookie that opens every endpoint", async () => {
    api = await withToken()
    const code = api.signIn.newCode()
    const signedIn = await request(api, `/api/sign-in?code=${code}`)
    expect(signedIn.status).toBe(303)
    expect(signedIn.headers.get("location")).toBe("/")
    const setCookie = signedIn.headers.get("set-cookie") ?? ""
    expect(setCookie).toMatch(/^ao_api_session=[\w-]{20,};/)
    expect(setCookie).toContain("HttpOnly")
    expect(setCookie).toContain("SameSite=Strict")
    const cookie = setCookie.split(";")[0]!
    expect((await request(api, "/api/sessions", { headers: { cookie } })).status).toBe(200)
    const kill = await request(api, "/api/sessions/app-1/kill", {
      method: "POST",
      headers: { cookie, "content-type": "application/json", origin: "http://127.0.0.1" }
    })
    expect(await kill.json()).toMatchObject({ error: { tag: "SessionNotFound" } })
    // Spent: the same code signs nobody else in, and a made-up cookie opens nothing.
    expect((await request(api, `/api/sign-in?code=${code}`)).status).toBe(401)
    expect((await request(api, "/api/sessions", { headers: { cookie: "ao_api_session=guessed" } })).status).toBe(401)
  })

  it("refuses a wrong or missing sign-in code", async () => {
    api = await withToken()
    api.signIn.newCode()
    for (const path of ["/api/sign-in", "/api/sign-in?code=", "/api/sign-in?code=wrong"]) {
      const response = await request(api, path)
      expect(response.status, path).toBe(401)
      expect(response.headers.get("set-cookie")).toBeNull()
      expect(await response.json()).toMatchObject({ error: { tag: "SignInCodeInvalid" } })
    }
  })
})

describe("cross-site requests change nothing", () => {
  const kill = (headers: Record<string, string>, body?: string) =>
    request(api!, "/api/sessions/app-1/kill", { method: "POST", headers, ...(body === undefined ? {} : { body }) })

  it("refuses every POST that is not JSON, with a body or without", async () => {
    api = await memoryApi()
    for (const headers of [{}, { "content-type": "text/plain" }, { "content-type": "application/x-www-form-urlencoded" }, { "content-type": "multipart/form-data; boundary=x" }]) {
      const response = await kill(headers)
      expect(response.status, JSON.stringify(headers)).toBe(415)
      expect(await response.json()).toMatchObject({ error: { tag: "UnsupportedMediaType" } })
    }
    expect((await request(api, "/api/cleanup", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" })).status).toBe(415)
  })

  it("refuses a browser's cross-site or same-site change, and any Origin that is not the server's own", async () => {
    api = await memoryApi()
    const json = { "content-type": "application/json" }
    for (const headers of [
      { ...json, "sec-fetch-site": "cross-site" },
      { ...json, "sec-fetch-site": "same-site" },
      { ...json, origin: "https://evil.example" },
      { ...json, origin: "null" },
      { ...json, origin: "http://127.0.0.1:4000" },
      { ...json, origin: "http://localhost" },
      { ...json, origin: "http://127.0.0.1", "sec-fetch-site": "cross-site" }
    ]) {
      const response = await kill(headers)
      expect(response.status, JSON.stringify(headers)).toBe(403)
      expect(await response.json()).toMatchObject({ error: { tag: "CrossSiteRequest" } })
    }
  })

  it("takes JSON from the server's own origin, from a script (no Origin) and from an allowed origin", async () => {
    api = await memoryApi({ access: loopbackAccess({ allowedOrigins: ["https://dashboard.example"] }) })
    const json = { "content-type": "application/json" }
    for (const headers of [
      json,
      { ...json, origin: "http://127.0.0.1", "sec-fetch-site": "same-origin" },
      { ...json, "sec-fetch-site": "none" },
      { ...json, origin: "https://dashboard.example", "sec-fetch-site": "cross-site" }
    ]) {
      const response = await kill(headers)
      expect(response.status, JSON.stringify(headers)).toBe(404)
      expect(await response.json()).toMatchObject({ error: { tag: "SessionNotFound" } })
    }
  })

  it("refuses an allowed origin that is not an origin, at start", () => {
    for (const origin of ["dashboard.example", "https://dashboard.example/path", "javascript:alert(1)"]) {
      const refused = policy({ allowedOrigins: [origin] })
      expect(Either.isLeft(refused) && refused.left.field, origin).toBe("AO_API_ALLOWED_ORIGINS")
    }
  })
})

describe("CORS", () => {
  it("sends no CORS headers unless origins are allowed", async () => {
    api = await memoryApi()
    const response = await request(api, "/api/sessions", { headers: { origin: "https://dashboard.example" } })
    expect(response.headers.get("access-control-allow-origin")).toBeNull()
  })

  it("allows exactly the configured origins", async () => {
    api = await memoryApi({ access: loopbackAccess({ allowedOrigins: ["https://dashboard.example"] }) })
    const allowed = await request(api, "/api/health", { headers: { origin: "https://dashboard.example" } })
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://dashboard.example")
    const other = await request(api, "/api/health", { headers: { origin: "https://evil.example" } })
    expect(other.headers.get("access-control-allow-origin")).toBeNull()
  })
})
