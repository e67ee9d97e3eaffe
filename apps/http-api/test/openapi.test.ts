import { SessionSummary } from "@ao/domain"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type MemoryApi, memoryApi, request } from "./memory-api"

let api: MemoryApi
let document: unknown
beforeAll(async () => {
  api = await memoryApi()
  document = await (await request(api, "/api/openapi.json")).json()
})
afterAll(() => api.dispose())

/** The value at `path` inside the document (undefined when absent). */
const at = (...path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>(
    (value, key) => (typeof value === "object" && value !== null ? (value as Record<string | number, unknown>)[key] : undefined),
    document
  )
const keysAt = (...path: ReadonlyArray<string>): Array<string> => Object.keys(at(...path) as object)

/** Every `$ref` anywhere in `value`. */
const refsIn = (value: unknown): Array<string> =>
  typeof value !== "object" || value === null
    ? []
    : Object.entries(value).flatMap(([key, child]) => (key === "$ref" && typeof child === "string" ? [child] : refsIn(child)))

describe("GET /api/openapi.json", () => {
  it("is an OpenAPI 3.1 document listing every operation", () => {
    expect(at("openapi")).toBe("3.1.0")
    const operations = keysAt("paths").flatMap((path) =>
      keysAt("paths", path).map((method) => `${method.toUpperCase()} ${path} ${String(at("paths", path, method, "operationId"))}`)
    )
    expect(operations.sort()).toEqual(
      [
        "GET /api/health health",
        "GET /api/sessions listSessions",
        "POST /api/sessions spawnSession",
        "GET /api/sessions/{name} getSession",
        "POST /api/sessions/{name}/kill killSession",
        "POST /api/sessions/{name}/restore restoreSession",
        "POST /api/sessions/{name}/messages sendMessage",
        "POST /api/sessions/{name}/keys sendKey",
        "POST /api/restore restoreAll",
        "GET /api/cleanup planCleanup",
        "POST /api/cleanup applyCleanup",
        "GET /api/status sessionStatus",
        "GET /api/doctor diagnose",
        "POST /api/doctor/fix repair",
        "GET /api/events followEvents",
        "GET /api/sessions/{name}/output sessionOutput",
        "GET /api/sessions/{name}/output/stream followSessionOutput"
      ].sort()
    )
  })

  it("describes bodies and answers with the handlers' own Schemas, every reference resolving", () => {
    for (const ref of refsIn(document)) {
      expect(ref).toMatch(/^#\/components\/schemas\//)
      expect(at("components", "schemas", ref.replace("#/components/schemas/", "")), ref).toBeDefined()
    }
    // The CLI's session summary, plus the PR's CI and review state.
    expect(keysAt("components", "schemas", "ReviewedSession", "properties").sort()).toEqual(
      [...Object.keys(SessionSummary.fields), "review"].sort()
    )
    expect(keysAt("components", "schemas", "PullRequestReview", "properties").sort()).toEqual(
      ["attention", "checkedAt", "ci", "failingCheckLinks", "failingChecks", "fixRequests", "review", "stale"]
    )
    expect(at("paths", "/api/sessions", "get", "responses", "200", "content", "application/json", "schema")).toEqual({
      $ref: "#/components/schemas/ReviewedSessionList"
    })
    expect(at("paths", "/api/sessions", "post", "requestBody", "content", "application/json", "schema")).toEqual({
      $ref: "#/components/schemas/SpawnRequest"
    })
    expect(at("components", "schemas", "SpawnRequest", "required")).toEqual(["project"])
  })

  it("lists parameters and the errors each operation can answer, by status", () => {
    expect(at("paths", "/api/sessions", "get", "parameters")).toMatchObject([
      { name: "project", in: "query", required: false },
      { name: "all", in: "query", required: false, schema: { enum: ["true", "false"] } }
    ])
    const one = (...path: ReadonlyArray<string | number>) => at("paths", "/api/sessions/{name}", "get", ...path)
    expect(one("parameters", 0)).toMatchObject({ name: "name", in: "path", required: true })
    expect(one("responses", "404", "description")).toContain("SessionNotFound")
    expect(one("responses", "400", "description")).toContain("InvalidSessionName")
    expect(String(at("paths", "/api/sessions/{name}/restore", "post", "responses", "409", "description")).split(" | ")).toEqual(
      expect.arrayContaining(["SessionStillRunning", "WorkspaceMissing"])
    )
    expect(at("paths", "/api/sessions", "post", "responses", "502", "description")).toBe("TrackerUnavailable")
  })
})
