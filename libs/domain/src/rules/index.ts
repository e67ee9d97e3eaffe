export * from "./cleanup-criteria"
export * from "./observed-status"
export * from "./restore-validation"
export * from "./status-transition"
