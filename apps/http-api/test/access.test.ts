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
  Effect.runSync(Effect.either(accessPolicy({ host: "127.0.0.1", token: undefined, allowedHosts: [], corsOrigins: [], ...options })))

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

describe("the bearer token", () => {
  const withToken = () => memoryApi({ access: loopbackAccess({ token: "correct-horse" }) })

  it("is required on every request when configured", async () => {
    api = await withToken()
    for (const path of ["/api/health", "/api/openapi.json", "/api/no-such-route"]) {
      const response = await request(api, path)
      expect(response.status).toBe(401)
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/)
      expect(await response.json()).toMatchObject({ error: { tag: "Unauthorized" } })
    }
  })

  it("refuses a wrong token, and a header that is not a Bearer token", async () => {
    api = await withToken()
    expect((await request(api, "/api/health", { headers: { authorization: "Bearer correct-horsf" } })).status).toBe(401)
    expect((await request(api, "/api/health", { headers: { authorization: "Bearer correct" } })).status).toBe(401)
    expect((await request(api, "/api/health", { headers: { authorization: "Basic Y29ycmVjdC1ob3JzZQ==" } })).status).toBe(400)
  })

  it("lets the right token through", async () => {
    api = await withToken()
    expect((await request(api, "/api/health", { headers: { authorization: "Bearer correct-horse" } })).status).toBe(200)
  })
})

describe("CORS", () => {
  it("sends no CORS headers unless origins are configured", async () => {
    api = await memoryApi()
    const response = await request(api, "/api/health", { headers: { origin: "https://dashboard.example" } })
    expect(response.headers.get("access-control-allow-origin")).toBeNull()
  })

  it("allows exactly the configured origins", async () => {
    api = await memoryApi({ access: loopbackAccess({ corsOrigins: ["https://dashboard.example"] }) })
    const allowed = await request(api, "/api/health", { headers: { origin: "https://dashboard.example" } })
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://dashboard.example")
    const other = await request(api, "/api/health", { headers: { origin: "https://evil.example" } })
    expect(other.headers.get("access-control-allow-origin")).toBeNull()
  })
})
