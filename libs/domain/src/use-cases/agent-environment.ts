import { Effect } from "effect"
import { AgentHooks } from "../ports/agent-hooks"

/** The environment every agent runs with, so it (and its hooks) know which session it is. */
export const agentEnvironment = (session: { readonly id: string; readonly projectId: string }) => ({
  AO_SESSION: session.id,
  AO_PROJECT_ID: session.projectId
})

/** Before an agent starts in a worktree: its hooks, so it reports its state from its first moment. */
export const installAgentHooks = (agent: string, workspacePath: string) =>
  Effect.flatMap(AgentHooks, (hooks) => hooks.install({ agent, workspacePath }))
