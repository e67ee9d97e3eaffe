import { MemoryAgentHooks } from "../src/agent-hooks"
import { agentHooksContract } from "../src/contracts/agent-hooks"

agentHooksContract("memory", async () => ({ layer: MemoryAgentHooks.layer(), workspacePath: "/worktrees/app-1" }))
