export { makeGitWorkspaceLive } from "./git-workspace"
export { type SnapshotSettings } from "./kept-files"
export { type DetectedRepository, detectRepository } from "./repository"
export { type ListedWorktree, listWorktrees } from "./worktree-list"
