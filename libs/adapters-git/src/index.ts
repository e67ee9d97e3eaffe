export { GitWorkspaceLive } from "./git-workspace"
export { type DetectedRepository, detectRepository } from "./repository"
export { type ListedWorktree, listWorktrees } from "./worktree-list"
