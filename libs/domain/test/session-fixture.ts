import { DateTime, Option } from "effect"
import type { RuntimeSessionInfo } from "../src/ports/runtime"
import { ProjectId } from "../src/project"
import { Session } from "../src/session"
import { SessionName } from "../src/session-name"

export const T0 = DateTime.unsafeMake("2026-01-01T00:00:00Z")

/** A working session created at T0; override what a test is about. */
export const aSession = (overrides: Partial<ConstructorParameters<typeof Session>[0]> = {}): Session =>
  new Session({
    id: SessionName.make("ao-int-1"),
    projectId: ProjectId.make("agent-orchestrator"),
    issueId: Option.none(),
    branch: "int-1-fix",
    workspacePath: "/wt/agent-orchestrator-int-1",
    runtimeHandle: "ao-int-1",
    agent: "claude",
    status: "working",
    statusReason: "spawned",
    pr: Option.none(),
    createdAt: T0,
    lastActivityAt: T0,
    restoredAt: Option.none(),
    snapshotRef: Option.none(),
    ...overrides
  })

export const aRuntime = (overrides: Partial<RuntimeSessionInfo> = {}): RuntimeSessionInfo => ({
  name: "ao-int-1",
  createdAt: T0,
  lastActivityAt: T0,
  attachedClients: 0,
  paneDead: false,
  paneCommand: "claude",
  path: "/wt/agent-orchestrator-int-1",
  ...overrides
})
