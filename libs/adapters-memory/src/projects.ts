import { type Project, Projects, UnknownProject } from "@ao/domain"
import { Effect, Layer } from "effect"

/** The configured projects, given as a list instead of read from a config file. */
export const makeMemoryProjects = (projects: ReadonlyArray<Project>, source = "memory") =>
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

export const MemoryProjects = {
  layer: (projects: ReadonlyArray<Project>, source = "memory"): Layer.Layer<Projects> =>
    Layer.succeed(Projects, makeMemoryProjects(projects, source))
}
