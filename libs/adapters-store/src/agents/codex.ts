import type { AgentAdapter } from "./agent-adapter"
import { readCodexHook } from "./hook-readers"

/**
 * Codex runs its `notify` program with one JSON argument when a turn
 * completes (`{"type":"agent-turn-complete", …}`). Codex reads `notify` from
 * its own config (`notify = ["ao", "hook", "codex", "notify"]` in
 * ~/.codex/config.toml), not from the worktree, so ao installs nothing; while
 * the agent works, the screen decides.
 */
export const codexAdapter: AgentAdapter = {
  name: "codex",
  hookEvents: ["notify"],
  readHook: readCodexHook,
  screen: {
    // The approval prompt: "Would you like to run the following command?" over "› 1. Yes, proceed (y)" … "No, and tell Codex what to do differently (esc)".
    waiting: [
      /\bWould you like to (?:run the following command|make the following edits|grant)\b/,
      /\bAllow command\?/,
      /No, and tell Codex what to do differently/
    ],
    // The status line: "• Working (12s • esc to interrupt)".
    working: [/\besc to interrupt\b/],
    // The composer and its footer: "› Ask Codex to do anything", "100% context left · ? for shortcuts", "⏎ send".
    idle: [/\bcontext left\b/, /⏎ send/, /^\s*›\s/]
  }
}
