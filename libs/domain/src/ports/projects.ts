import { Context, Effect } from "effect"
import { UnknownProject } from "../errors"
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

/** Projects over a list already loaded; an unknown id fails naming the known ones. */
export const projectsFromList = (projects: ReadonlyArray<Project>, source: string) =>
  Projects.of({
    list: Effect.succeed(projects),
    get: (projectId) => {
      const found = projects.find((project) => project.id === projectId)
      return found !== undefined
        ? Effect.succeed(found)
        : Effect.fail(new UnknownProject({ projectId, known: projects.map((project) => project.id) }))
    },
    source
  })
