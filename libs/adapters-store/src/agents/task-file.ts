import { join } from "node:path"
import { TaskFile, WorkspaceFailed } from "@ao/domain"
import { Effect, Layer } from "effect"
import { type DiskError, readTextIfExists, writeFileAtomic } from "../disk"
import { excludeFromGit } from "./git-exclude"

/** A name in the worktree's root: the task file is never a path that could leave it. */
const checkedName = (workspacePath: string, file: string) =>
  /^[A-Za-z0-9._-]+$/.test(file) && file !== "." && file !== ".."
    ? Effect.succeed(join(workspacePath, file))
    : Effect.fail(new WorkspaceFailed({ operation: "write the task file in", path: workspacePath, detail: `${JSON.stringify(file)} is not a plain file name` }))

const asWorkspaceFailure =
  (operation: string) =>
  <A>(effect: Effect.Effect<A, DiskError>): Effect.Effect<A, WorkspaceFailed> =>
    Effect.mapError(effect, (error) => new WorkspaceFailed({ operation, path: error.path, detail: `${error.operation}: ${error.detail}` }))

/** The task file on disk: written atomically, then kept out of git through the repository's `info/exclude`. */
export const makeTaskFile = () =>
  TaskFile.of({
    write: ({ file, text, workspacePath }) =>
      Effect.flatMap(checkedName(workspacePath, file), (path) =>
        Effect.zipRight(writeFileAtomic(path, text), excludeFromGit(workspacePath, file)).pipe(asWorkspaceFailure("write the task file in"))
      ),
    read: ({ file, workspacePath }) =>
      Effect.flatMap(checkedName(workspacePath, file), (path) => readTextIfExists(path).pipe(asWorkspaceFailure("read the task file in")))
  })

export const TaskFileLive: Layer.Layer<TaskFile> = Layer.sync(TaskFile, makeTaskFile)
