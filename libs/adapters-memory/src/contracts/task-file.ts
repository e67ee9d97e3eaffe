import { describe, expect, it } from "@effect/vitest"
import { TaskFile } from "@ao/domain"
import { Effect, type Layer, Option } from "effect"

/**
 * What every TaskFile must do. `fresh` builds one and a new worktree to write
 * into (the disk one: a real git worktree in a temp dir).
 */
export const taskFileContract = (
  name: string,
  fresh: () => Promise<{ readonly layer: Layer.Layer<TaskFile, unknown>; readonly workspacePath: string }>
) =>
  describe(`TaskFile contract: ${name}`, () => {
    it.live("holds the whole text written, byte for byte, and a second write replaces it", () =>
      Effect.gen(function* () {
        const { layer, workspacePath } = yield* Effect.promise(fresh)
        const text = `# Task\n${"x".repeat(200 * 1024)}\n$(touch pwned) \`id\` 'quoted' ✓\n`
        const files = yield* Effect.provide(TaskFile, layer)
        expect(yield* files.read({ workspacePath, file: ".ao-task.md" })).toEqual(Option.none())
        yield* files.write({ workspacePath, file: ".ao-task.md", text })
        expect(yield* files.read({ workspacePath, file: ".ao-task.md" })).toEqual(Option.some(text))
        yield* files.write({ workspacePath, file: ".ao-task.md", text: "shorter" })
        expect(yield* files.read({ workspacePath, file: ".ao-task.md" })).toEqual(Option.some("shorter"))
      })
    )
  })
