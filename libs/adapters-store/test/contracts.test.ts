import { agentLauncherContract } from "@ao/adapters-memory/contracts/agent-launcher"
import { eventLogContract } from "@ao/adapters-memory/contracts/event-log"
import { sessionStoreContract } from "@ao/adapters-memory/contracts/session-store"
import { Effect, Layer } from "effect"
import { AgentLauncherLive } from "../src/agent-launcher"
import { makeEventLogLayer } from "../src/event-log"
import { makeSessionStoreLayer } from "../src/session-store"
import { tempDir } from "./temp-dir"

sessionStoreContract("disk", () =>
  Layer.unwrapScoped(Effect.map(tempDir, (dataDir) => makeSessionStoreLayer({ dataDir })))
)

eventLogContract("disk", ({ actor }) =>
  Layer.unwrapScoped(Effect.map(tempDir, (dataDir) => makeEventLogLayer({ dataDir, actor })))
)

agentLauncherContract("disk", AgentLauncherLive)
