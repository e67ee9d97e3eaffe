import type { AgentAdapter } from "./agent-adapter"
import { readNoHook } from "./hook-readers"

/** An agent without hooks (aider, a configured command): the screen (pane activity) decides its state. */
export const genericAdapter = (name: string): AgentAdapter => ({ name, hookEvents: [], readHook: readNoHook })
