export { initConfig, type InitOptions, type InitResult } from "./init-config"
export { addProject, type AddProjectOptions, listProjects, type ProjectListing } from "./projects-registry"
export { type TrustedCommand, trustConfig, type TrustOptions } from "./trust-config"
export type { Whereabouts } from "./whereabouts"
export { activityDirectory, eventLogFile, type LiveError, type LiveOptions, type LiveServices, makeLiveLayer } from "./live-layer"
export { AoConfig, type LoadedConfig } from "@ao/adapters-store"
/** The event log over a file of its own, for a frontend's tests that follow the log as the live layer writes it. */
export { makeEventLogLayer } from "@ao/adapters-store"
export { makeWatchLayer, type WatchServices } from "./watch-layer"
