import { Context, type Effect } from "effect"
import type { UnknownProject } from "../errors"
import type { Project } from "../project"

/**
 * The configured projects. Loading the config (and failing with
 * ConfigNotFound / ConfigInvalid) happens when the layer is built.
 */
export class Projects extends Context.Tag("@ao/domain/Projects")<
  Projects,
  {
    readonly list: Effect.Effect<ReadonlyArray<Project>>
    readonly get: (projectId: string) => Effect.Effect<Project, UnknownProject>
    /** Where the config was read from, for messages. */
    readonly source: string
  }
>() {}
