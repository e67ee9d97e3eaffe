import { AgentLauncher, agentLauncherFromSpecs } from "@ao/domain"
import { Layer } from "effect"

/**
 * Building argv is a pure domain rule, so the in-memory launcher is the real
 * one; it exists so tests compose the same set of ports as production.
 */
export const MemoryAgentLauncher: Layer.Layer<AgentLauncher> = Layer.succeed(AgentLauncher, agentLauncherFromSpecs)
