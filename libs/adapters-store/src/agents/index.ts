import type { AgentAdapter } from "./agent-adapter"
import { aiderAdapter } from "./aider"
import { claudeAdapter } from "./claude"
import { codexAdapter } from "./codex"
import { genericAdapter } from "./generic"

export type { AgentAdapter, HookReading, HookSettings, ReportedState } from "./agent-adapter"

/** One adapter per agent ao knows; adding an agent is one file here plus its contract test. */
export const AGENT_ADAPTERS: ReadonlyArray<AgentAdapter> = [claudeAdapter, codexAdapter, aiderAdapter]

/** The adapter of the agent called `name`; an agent ao does not know gets the generic one. */
export const agentAdapterFor = (name: string): AgentAdapter =>
  AGENT_ADAPTERS.find((adapter) => adapter.name === name) ?? genericAdapter(name)
