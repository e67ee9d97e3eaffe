export { ADMIN_PREFIX } from "./admin-routes"
export type { GitHubEmulatorControl } from "./control"
export { type GitHubEmulator, makeEmulatorApp, startGitHubEmulator } from "./server"
export type { EmulatedFailure, EmulatedIssue, EmulatedPullRequest, EmulatorOptions, ServedRequest } from "./state"
