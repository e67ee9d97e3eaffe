export { AgentLauncherLive } from "./agent-launcher"
export { eventLogPath, makeEventLog, makeEventLogLayer, type EventLogOptions } from "./event-log"
export { makeSessionStore, makeSessionStoreLayer, storeLayout, type SessionStoreOptions } from "./session-store"
