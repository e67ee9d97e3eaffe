/**
 * A stand-in that behaves like Claude Code toward hooks: it reads
 * `.claude/settings.local.json` in its working directory and runs the
 * configured commands through `sh -c` with Claude Code's hook input JSON on
 * stdin, at moments a test scripts by typing a line into its pane:
 *   ask <tool>  PreToolUse, then a permission Notification (the agent waits)
 *   yes         PostToolUse (the permission was granted, the tool ran)
 *   stop        Stop (the turn ended), after writing its reply to the transcript
 *               (JSON lines as Claude Code writes them, under $HOME/.claude/projects)
 *   quiet       the turn ends with no hook at all (a lost Stop)
 *   nudge       a permission Notification with no turn open
 *   /exit       SessionEnd, then the process exits
 *   anything else is a prompt: UserPromptSubmit.
 * A prompt it is started with goes into the transcript as the first user
 * entry, then UserPromptSubmit and a PreToolUse (Read) fire, as Claude Code
 * does for its first turn. Answering a permission prompt fires no
 * UserPromptSubmit (nor does Claude Code): only the tool's PostToolUse.
 * Run it with node: `node <script> launch|resume [prompt…]`.
 */
export const STAND_IN_CLAUDE_SCRIPT = `
import { spawnSync } from "node:child_process"
import { appendFileSync, mkdirSync, readFileSync } from "node:fs"
import { basename, dirname } from "node:path"
import { createInterface } from "node:readline"
const settings = JSON.parse(readFileSync(".claude/settings.local.json", "utf8"))
const transcript = process.env.HOME + "/.claude/projects/" + basename(process.cwd()) + "/0b7e2c1d-stand-in.jsonl"
const common = { session_id: "0b7e2c1d-stand-in", transcript_path: transcript, cwd: process.cwd() }
let prompts = 0
const record = (type, content) => {
  mkdirSync(dirname(transcript), { recursive: true })
  const message = type === "user" ? { role: "user", content } : { role: "assistant", model: "stand-in", content: [{ type: "text", text: content }] }
  appendFileSync(transcript, JSON.stringify({ type, sessionId: common.session_id, isSidechain: false, message }) + "\\n")
}
const fire = (event, fields = {}) => {
  for (const group of settings.hooks?.[event] ?? []) {
    for (const hook of group.hooks ?? []) {
      const input = JSON.stringify({ ...common, hook_event_name: event, ...fields })
      spawnSync("sh", ["-c", hook.command], { input, stdio: ["pipe", "ignore", "inherit"] })
    }
  }
  console.log("hook " + event)
}
const permission = (tool) => ({ message: "Claude needs your permission to use " + tool, notification_type: "permission_prompt" })
const [mode, ...prompt] = process.argv.slice(2)
console.log("stand-in claude: mode=" + mode)
fire("SessionStart", { source: mode === "resume" ? "resume" : "startup" })
if (prompt.length > 0) {
  record("user", prompt.join(" "))
  fire("UserPromptSubmit", { prompt: prompt.join(" ") })
  fire("PreToolUse", { tool_name: "Read", tool_input: { file_path: "README.md" } })
}
for await (const line of createInterface({ input: process.stdin })) {
  const [word, tool = "Bash"] = line.trim().split(/\\s+/)
  if (word === "ask") {
    fire("PreToolUse", { tool_name: tool, tool_input: { command: "npm test" } })
    fire("Notification", permission(tool))
  } else if (word === "yes") fire("PostToolUse", { tool_name: "Bash", tool_input: {}, tool_response: { exitCode: 0 } })
  else if (word === "stop") {
    record("assistant", "Turn " + prompts + " done.\\nAll tests pass.")
    fire("Stop", { stop_hook_active: false })
  }
  else if (word === "quiet") console.log("turn over, no Stop hook")
  else if (word === "nudge") fire("Notification", permission("Bash"))
  else if (word === "/exit") {
    fire("SessionEnd", { reason: "prompt_input_exit" })
    process.exit(0)
  } else {
    prompts += 1
    record("user", line)
    fire("UserPromptSubmit", { prompt: line })
  }
}
`
