export { initConfig, type InitOptions, type InitResult } from "./init-config"
export { type LiveError, type LiveOptions, type LiveServices, makeLiveLayer } from "./live-layer"
export { AoConfig, type LoadedConfig } from "@ao/adapters-store"
