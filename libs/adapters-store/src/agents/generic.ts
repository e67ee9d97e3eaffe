import type { AgentAdapter } from "./agent-adapter"

/** An agent without hooks (aider, a configured command): the screen (pane activity) decides its state. */
export const genericAdapter = (name: string): AgentAdapter => ({ name, hookEvents: [], readHook: () => undefined })
