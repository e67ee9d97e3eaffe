import type { AgentAdapter } from "./agent-adapter"
import { genericAdapter } from "./generic"

/** Aider has no hooks: its screen decides its state, as for any agent ao has no hooks for, with aider's own texts. */
export const aiderAdapter: AgentAdapter = {
  ...genericAdapter("aider"),
  screen: {
    // Every question aider asks: "Run shell command? (Y)es/(N)o/(D)on't ask again [Yes]:", "Add file to the chat? (Y)es/(N)o…".
    waiting: [/\(Y\)es\/\(N\)o/],
    // The spinner while the model answers: "░█ Waiting for gpt-4o".
    working: [/\bWaiting for\b/],
    // Its prompt, alone on the last line: "> ", "architect> ", "ask multi> ".
    idle: [/^(?:[a-z-]+ )?(?:multi)?> ?$/]
  }
}
