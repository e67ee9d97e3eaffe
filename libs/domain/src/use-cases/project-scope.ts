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

/** The repository whose pull requests ao reads (`scm: github`). */
export const codeHostRepo = (project: Project): Option.Option<string> =>
  project.scm === "github" ? project.repo : Option.none()

/** The repository whose issues ao reads (`tracker: github`). */
export const issueTrackerRepo = (project: Project): Option.Option<string> =>
  project.tracker === "github" ? project.repo : Option.none()

/** The project's repository when ao asks its host about anything: pull requests or issues. */
export const hostedRepo = (project: Project): Option.Option<string> =>
  Option.orElse(codeHostRepo(project), () => issueTrackerRepo(project))
