import { Context, type Effect, type Option } from "effect"
import type { ConfigUntrusted, InvalidInput } from "../errors"
import type { Project } from "../project"

export interface AgentCommand {
  readonly agent: string
  readonly argv: ReadonlyArray<string>
}

/**
 * Builds the argument vectors that start and resume an agent. ConfigUntrusted
 * when the project comes from a config file the user has not trusted.
 */
export class AgentLauncher extends Context.Tag("@ao/domain/AgentLauncher")<
  AgentLauncher,
  {
    /** `agent` overrides the project's default agent by name. */
    readonly launch: (request: {
      readonly project: Project
      readonly agent: Option.Option<string>
      readonly prompt: Option.Option<string>
    }) => Effect.Effect<AgentCommand, InvalidInput | ConfigUntrusted>
    readonly resume: (request: {
      readonly project: Project
      readonly agent: string
    }) => Effect.Effect<AgentCommand, InvalidInput | ConfigUntrusted>
  }
>() {}
