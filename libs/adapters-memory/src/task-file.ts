import { TaskFile } from "@ao/domain"
import { Effect, Layer, Option, Ref } from "effect"

const key = (workspacePath: string, file: string) => `${workspacePath.replace(/\/+$/, "")}/${file}`

/** Task files in memory, keyed by worktree and name. */
export const makeMemoryTaskFile = Effect.map(Ref.make<ReadonlyMap<string, string>>(new Map()), (files) =>
  TaskFile.of({
    write: ({ file, text, workspacePath }) =>
      Ref.update(files, (current) => new Map([...current, [key(workspacePath, file), text]])),
    read: ({ file, workspacePath }) => Effect.map(Ref.get(files), (current) => Option.fromNullable(current.get(key(workspacePath, file))))
  })
)

export const MemoryTaskFile: Layer.Layer<TaskFile> = Layer.effect(TaskFile, makeMemoryTaskFile)
