import { agentLauncherContract } from "../src/contracts/agent-launcher"
import { MemoryAgentLauncher } from "../src/agent-launcher"

agentLauncherContract("memory", MemoryAgentLauncher)
