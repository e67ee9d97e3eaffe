export { makeAgentLauncherLayer } from "./agent-launcher"
export { AGENT_PRESETS, PRESET_NAMES, type PresetName } from "./config/agent-presets"
export { splitCommandLine } from "./config/command-line"
export { type ContainerConfig } from "./config/container-config"
export {
  DEFAULT_GITHUB_API_URL,
  DEFAULT_IDLE_AFTER_SECONDS,
  DEFAULT_PORT,
  DEFAULT_WATCH_REQUESTS_PER_MINUTE,
  decodeConfig,
  type LoadedConfig
} from "./config/config-decoding"
export {
  CONFIG_FILE_NAME,
  configCandidates,
  firstExisting,
  globalConfigPath,
  localConfigCandidates
} from "./config/config-discovery"
export {
  AoConfig,
  type AoConfigValue,
  ConfigLive,
  type ConfigSource,
  loadConfig,
  makeConfigLayer,
  readConfigFile,
  sha256Of
} from "./config/config-layer"
export { isTrusted, recordTrust, trustStorePath } from "./config/config-trust"
export { registerProject, type RegisteredProject } from "./config/project-registry"
export {
  type InitialConfigInput,
  projectIdFromDirectory,
  renderInitialConfig,
  writeInitialConfig
} from "./config/initial-config"
export { derivePrefix } from "./config/session-prefix"
export { type AoEnvironment, expandHome, processEnvironment, resolveDataDir } from "./environment"
export { eventLogPath, type EventLogOptions, makeEventLog, makeEventLogLayer } from "./event-log"
export { isAlive as isProcessAlive, type ProcessIdentity } from "./process-identity"
export { makeSessionStore, makeSessionStoreLayer, type SessionStoreOptions, storeLayout } from "./session-store"
export { type ActivityLogOptions, makeActivityLog, makeActivityLogLayer } from "./activity/activity-log"
export { activityDir, CONTAINER_HOOK_LOG, containerActivityDir } from "./activity/activity-file"
export { type AgentHooksOptions, CONTAINER_HOOK_VARIABLE, hookCommandLine, makeAgentHooks, makeAgentHooksLayer } from "./agents/agent-hooks"
export { AGENT_ADAPTERS, type AgentAdapter, agentAdapterFor } from "./agents/index"
export { makeTaskFile, TaskFileLive } from "./agents/task-file"
export { makeTranscripts, TRANSCRIPT_WINDOWS, TranscriptsLive } from "./agents/transcripts"
export { makeReactionLedger, makeReactionLedgerLayer, reactionLedgerPath } from "./watch/reaction-ledger"
export { makeWatchLease, makeWatchLeaseLayer, watchLeasePath } from "./watch/watch-lease"
export { makeNotifier, makeNotifierLayer, type NotifierOptions, SIGNATURE_HEADER, signatureOf } from "./notifiers/notifiers"
export { type NotifierEntry } from "./config/config-file"
