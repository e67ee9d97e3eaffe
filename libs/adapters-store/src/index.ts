export { AgentLauncherLive } from "./agent-launcher"
export { AGENT_PRESETS, PRESET_NAMES, type PresetName } from "./config/agent-presets"
export { splitCommandLine } from "./config/command-line"
export {
  DEFAULT_GITHUB_API_URL,
  DEFAULT_IDLE_AFTER_SECONDS,
  DEFAULT_PORT,
  decodeConfig,
  type LoadedConfig
} from "./config/config-decoding"
export { CONFIG_FILE_NAME, configCandidates, findConfigFile, globalConfigPath } from "./config/config-discovery"
export { AoConfig, ConfigLive, loadConfig, makeConfigLayer } from "./config/config-layer"
export {
  type InitialConfigInput,
  projectIdFromDirectory,
  renderInitialConfig,
  writeInitialConfig
} from "./config/initial-config"
export { derivePrefix } from "./config/session-prefix"
export { type AoEnvironment, expandHome, processEnvironment, resolveDataDir } from "./environment"
export { eventLogPath, type EventLogOptions, makeEventLog, makeEventLogLayer } from "./event-log"
export { makeSessionStore, makeSessionStoreLayer, type SessionStoreOptions, storeLayout } from "./session-store"
export { type ActivityLogOptions, makeActivityLog, makeActivityLogLayer } from "./activity/activity-log"
export { type AgentHooksOptions, hookCommandLine, makeAgentHooks, makeAgentHooksLayer } from "./agents/agent-hooks"
export { AGENT_ADAPTERS, type AgentAdapter, agentAdapterFor } from "./agents/index"
