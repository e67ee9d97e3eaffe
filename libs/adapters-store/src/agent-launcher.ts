import { AgentLauncher, agentLauncherFromSpecs } from "@ao/domain"
import { Layer } from "effect"

/** Launch and resume argv from the project's agent specs (a pure domain rule). */
export const AgentLauncherLive: Layer.Layer<AgentLauncher> = Layer.succeed(AgentLauncher, agentLauncherFromSpecs)
