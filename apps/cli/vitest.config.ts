import { projectTestConfig } from "../../vitest.shared"

// The e2e files spend most of their time waiting on tmux, git and the agents
// they start, and each has its own HOME, tmux socket and repository, so they
// run three at a time even on two cores: one at a time left the machine idle
// for most of the longest project's run.
export default projectTestConfig(import.meta.dirname, { maxWorkers: 3, minWorkers: 1 })
