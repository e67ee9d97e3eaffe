import { projectTestConfig } from "../vitest.shared"

// The reliability files spend most of their time waiting on the ao, git and tmux
// processes they start, each in its own HOME, repository and tmux socket, so
// they run three at a time even on two cores (one at a time, tools was the last
// and longest project in CI). The crash suite times its kill window from runs
// under the same load, so the extra load does not blunt its crashes.
export default projectTestConfig(import.meta.dirname, { maxWorkers: 3, minWorkers: 1 })
