import { describe, expect, it } from "@effect/vitest"
import { AgentHooks } from "@ao/domain"
import { Effect, type Layer } from "effect"

/**
 * What every AgentHooks must do. `fresh` builds one and a new worktree to
 * install into (the disk one: a real git worktree in a temp dir).
 */
export const agentHooksContract = (
  name: string,
  fresh: () => Promise<{ readonly layer: Layer.Layer<AgentHooks, unknown>; readonly workspacePath: string }>
) =>
  describe(`AgentHooks contract: ${name}`, () => {
    it.live("claude gets its hooks in .claude/settings.local.json, however often installed", () =>
      Effect.gen(function* () {
        const { layer, workspacePath } = yield* Effect.promise(fresh)
        const install = Effect.flatMap(AgentHooks, (hooks) => hooks.install({ agent: "claude", workspacePath }))
        const first = yield* Effect.provide(install, layer)
        expect(first).toEqual({ installed: true, file: ".claude/settings.local.json" })
        expect(yield* Effect.provide(install, layer)).toEqual(first)
      })
    )

    it.live("an agent without hooks gets nothing installed", () =>
      Effect.gen(function* () {
        const { layer, workspacePath } = yield* Effect.promise(fresh)
        for (const agent of ["aider", "my-script"]) {
          const result = yield* Effect.provide(
            Effect.flatMap(AgentHooks, (hooks) => hooks.install({ agent, workspacePath })),
            layer
          )
          expect(result.installed).toBe(false)
        }
      })
    )
  })
