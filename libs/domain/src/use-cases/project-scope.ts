import { Effect, Option } from "effect"
import { Projects } from "../ports/projects"
import type { Project } from "../project"

/** The project asked for (UnknownProject otherwise), or every configured project. */
export const projectsInScope = Effect.fn("Projects.inScope")(function* (projectId: string | undefined) {
  const projects = yield* Projects
  if (projectId === undefined) return yield* projects.list
  return [yield* projects.get(projectId)]
})

/** A session's project, absent when it was removed from the config after the session was made. */
export const projectOf = (projects: ReadonlyArray<Project>, projectId: string): Option.Option<Project> =>
  Option.fromNullable(projects.find((project) => project.id === projectId))

/** The project's repository on the code host, when its tracker is GitHub. */
export const hostedRepo = (project: Project): Option.Option<string> =>
  project.tracker === "github" ? project.repo : Option.none()
