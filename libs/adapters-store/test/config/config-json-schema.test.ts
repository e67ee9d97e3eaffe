import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { renderConfigJsonSchema } from "../../src/config/config-json-schema"

const shipped = join(import.meta.dirname, "..", "..", "agent-orchestrator.schema.json")

describe("agent-orchestrator.schema.json", () => {
  // Regenerate after changing config-file.ts: AO_UPDATE_SCHEMA=1 npx vitest run test/config/config-json-schema.test.ts
  it("is the JSON Schema derived from the config file's Schema", () => {
    if (process.env["AO_UPDATE_SCHEMA"] === "1") writeFileSync(shipped, renderConfigJsonSchema())
    expect(readFileSync(shipped, "utf8")).toBe(renderConfigJsonSchema())
  })

  it("rejects unknown keys at every level, so editors flag typos as ao does", () => {
    const schema = JSON.parse(readFileSync(shipped, "utf8"))
    expect(schema.additionalProperties).toBe(false)
    expect(schema.properties.projects.patternProperties[""].additionalProperties).toBe(false)
    expect(schema.properties.projects.patternProperties[""].required).toEqual(["path"])
  })
})
