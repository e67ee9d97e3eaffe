export { makeGitWorkspaceLive } from "./git-workspace"
export { DEFAULT_SNAPSHOT_SETTINGS, type SnapshotSettings } from "./kept-files"
export { type DetectedRepository, detectRepository } from "./repository"
export { type ListedWorktree, listWorktrees } from "./worktree-list"
