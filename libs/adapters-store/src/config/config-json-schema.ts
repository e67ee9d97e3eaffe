import { JSONSchema } from "effect"
import { ConfigFile } from "./config-file"

/**
 * The JSON Schema of agent-orchestrator.yaml, derived from the Schema the
 * loader decodes with, so editors and ao agree on what a valid file is.
 * Shipped as agent-orchestrator.schema.json; a test keeps the two in sync.
 */
export const renderConfigJsonSchema = (): string => `${JSON.stringify(JSONSchema.make(ConfigFile), null, 2)}\n`
