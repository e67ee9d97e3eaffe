import { type Project, Projects, projectsFromList } from "@ao/domain"
import { Layer } from "effect"

/** The configured projects, given as a list instead of read from a config file. */
export const MemoryProjects = {
  layer: (projects: ReadonlyArray<Project>, source = "memory"): Layer.Layer<Projects> =>
    Layer.succeed(Projects, projectsFromList(projects, source))
}
