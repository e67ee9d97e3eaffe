import { AgentHooks } from "@ao/domain"
import { Context, Effect, Layer, Ref } from "effect"

export interface MemoryAgentHooksOptions {
  /** The agents that have hooks, and the settings file each gets (default: claude's). */
  readonly hookFiles?: Readonly<Record<string, string>>
}

/** What a test sees: every install that wrote a settings file, oldest first. */
export class MemoryAgentHooksControl extends Context.Tag("@ao/adapters-memory/MemoryAgentHooksControl")<
  MemoryAgentHooksControl,
  { readonly installed: Effect.Effect<ReadonlyArray<{ readonly workspacePath: string; readonly file: string }>> }
>() {}

/**
 * Hook installation in memory: agents named in `hookFiles` get their file
 * (each install noted), the others none.
 */
export const MemoryAgentHooks = {
  layer: (options: MemoryAgentHooksOptions = {}): Layer.Layer<AgentHooks | MemoryAgentHooksControl> => {
    const hookFiles = options.hookFiles ?? { claude: ".claude/settings.local.json" }
    return Layer.effectContext(
      Effect.map(Ref.make<ReadonlyArray<{ readonly workspacePath: string; readonly file: string }>>([]), (written) =>
        Context.make(
          AgentHooks,
          AgentHooks.of({
            install: ({ agent, workspacePath }) => {
              const file = hookFiles[agent]
              if (file === undefined) return Effect.succeed({ installed: false })
              return Effect.as(Ref.update(written, (current) => [...current, { workspacePath, file }]), { installed: true, file })
            }
          })
        ).pipe(
          Context.add(MemoryAgentHooksControl, {
            installed: Ref.get(written)
          })
        )
      )
    )
  }
}
