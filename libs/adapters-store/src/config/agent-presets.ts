import { AgentSpec } from "@ao/domain"
import { Option } from "effect"

/**
 * The agents ao knows without configuration. Each takes its first prompt as
 * an argument: claude and codex as a positional one, aider after --message.
 */
export const AGENT_PRESETS: ReadonlyArray<AgentSpec> = [
  new AgentSpec({ name: "claude", launch: ["claude"], resume: ["claude", "--continue"], promptFlag: Option.none() }),
  new AgentSpec({ name: "codex", launch: ["codex"], resume: ["codex", "resume", "--last"], promptFlag: Option.none() }),
  new AgentSpec({
    name: "aider",
    launch: ["aider"],
    resume: ["aider", "--restore-chat-history"],
    promptFlag: Option.some("--message")
  })
]

export const PRESET_NAMES = AGENT_PRESETS.map((preset) => preset.name)
export type PresetName = "claude" | "codex" | "aider"
