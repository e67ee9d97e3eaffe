import { addProject, listProjects } from "@ao/composition-root"
import { Console, Effect, Option } from "effect"
import { tildify } from "../render/home-path"
import { renderTable } from "../render/table"
import { cli, printJson, reportFailure } from "./run-use-case"

const where = () => ({ cwd: cli.cwd, env: cli.env, homeDir: cli.homeDir })

/** `ao project add [path] [--id id]`: registers a repository in the user's global config. */
export const projectAdd = (input: { readonly path: Option.Option<string>; readonly id: Option.Option<string>; readonly json: boolean }) =>
  addProject({ ...where(), path: Option.getOrUndefined(input.path), id: Option.getOrUndefined(input.id) }).pipe(
    Effect.catchAll(reportFailure({ json: input.json })),
    Effect.flatMap((added) =>
      input.json
        ? printJson({
            id: added.id,
            path: added.path,
            sessionPrefix: added.sessionPrefix,
            defaultBranch: added.defaultBranch,
            registry: added.registry,
            ownConfig: Option.getOrNull(added.ownConfig)
          })
        : Console.log(
            [
              `Registered project ${added.id} in ${tildify(added.registry, cli.homeDir)}.`,
              `  Repository:     ${tildify(added.path, cli.homeDir)} (default branch ${added.defaultBranch})`,
              `  Session prefix: ${added.sessionPrefix}`,
              ...Option.match(added.ownConfig, {
                onNone: () => [],
                onSome: (own) => [
                  `  Defined by:     ${tildify(own, cli.homeDir)} (the repository's own config; ao trust it before its agents run)`
                ]
              }),
              `Next: ao spawn ${added.id} <issue> --prompt "…" (from any directory)`
            ].join("\n")
          )
    )
  )

/** `ao project ls [--json]`: every project ao knows here, with the file that defines it. */
export const projectLs = (input: { readonly json: boolean }) =>
  listProjects(where()).pipe(
    Effect.catchAll(reportFailure({ json: input.json })),
    Effect.flatMap((projects) => {
      if (input.json) return printJson(projects)
      if (projects.length === 0) return Console.log("No projects. Register a repository with: ao project add <path>")
      const home = (path: string) => tildify(path, cli.homeDir)
      return Console.log(
        renderTable(
          projects,
          [
            { header: "PROJECT", text: (project) => project.id },
            { header: "PREFIX", text: (project) => project.sessionPrefix },
            { header: "REPOSITORY", text: (project) => home(project.path) },
            { header: "TRUSTED", text: (project) => (project.trusted ? "yes" : "no") },
            { header: "CONFIG", text: (project) => home(project.config) }
          ],
          cli.stdoutStyle()
        )
      )
    })
  )
