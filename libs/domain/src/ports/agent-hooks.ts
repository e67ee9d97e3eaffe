import { Context, type Effect } from "effect"
import type { WorkspaceFailed } from "../errors"

/** Where an agent's hook settings were written; none for an agent without hooks. */
export interface HooksInstalled {
  readonly installed: boolean
  /** The settings file, relative to the worktree. */
  readonly file?: string
}

/**
 * Makes an agent report its state to ao: writes the agent's hook settings
 * into the session's worktree (its own settings kept, the file kept out of
 * git). Which agents have hooks and how they are written is the adapters'
 * business; the domain only asks.
 */
export class AgentHooks extends Context.Tag("@ao/domain/AgentHooks")<
  AgentHooks,
  {
    readonly install: (request: {
      readonly agent: string
      readonly workspacePath: string
    }) => Effect.Effect<HooksInstalled, WorkspaceFailed>
  }
>() {}
