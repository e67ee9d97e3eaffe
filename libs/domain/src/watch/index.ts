export * from "./observation"
export * from "./reaction-ledger-entry"
export * from "./reaction-plan"
export * from "./reaction-settings"
