import { MemoryTaskFile } from "../src/task-file"
import { taskFileContract } from "../src/contracts/task-file"

taskFileContract("memory", async () => ({ layer: MemoryTaskFile, workspacePath: "/worktrees/app-1" }))
