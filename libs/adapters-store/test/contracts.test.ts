import { agentLauncherContract } from "@ao/adapters-memory/contracts/agent-launcher"
import { eventLogContract } from "@ao/adapters-memory/contracts/event-log"
import { sessionStoreContract } from "@ao/adapters-memory/contracts/session-store"
import { Effect, Layer } from "effect"
import { makeAgentLauncherLayer } from "../src/agent-launcher"
import { AoConfig } from "../src/config/config-layer"
import { makeEventLogLayer } from "../src/event-log"
import { makeSessionStoreLayer } from "../src/session-store"
import { tempDir } from "./temp-dir"

sessionStoreContract("disk", () =>
  Layer.unwrapScoped(Effect.map(tempDir, (dataDir) => makeSessionStoreLayer({ dataDir })))
)

eventLogContract("disk", ({ actor }) =>
  Layer.unwrapScoped(Effect.map(tempDir, (dataDir) => makeEventLogLayer({ dataDir, actor })))
)

// Projects from the user's own config: trust never stands in the way (config-trust.test.ts covers the rest).
agentLauncherContract(
  "disk",
  makeAgentLauncherLayer({ dataDir: "/nonexistent" }).pipe(
    Layer.provide(
      Layer.succeed(AoConfig, {
        source: "/home/me/.config/ao/agent-orchestrator.yaml",
        projects: [],
        github: { apiUrl: "https://api.github.com" },
        port: 3000,
        sources: [],
        sourceOf: () => ({ path: "/home/me/.config/ao/agent-orchestrator.yaml", sha256: "0", own: true })
      })
    )
  )
)
