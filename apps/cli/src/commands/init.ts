import { initConfig } from "@ao/composition-root"
import { Console, Effect, Option } from "effect"
import { tildify } from "../render/home-path"
import { cli, reportFailure } from "./run-use-case"

/** `ao init`: needs no config (it writes one), so it runs outside the live layer. */
export const init = (input: { readonly agent: Option.Option<string> }) =>
  initConfig({ cwd: cli.cwd, agent: Option.getOrUndefined(input.agent) }).pipe(
    Effect.catchAll(reportFailure({ json: false })),
    Effect.flatMap((written) =>
      Console.log(
        [
          `Wrote ${tildify(written.path, cli.homeDir)} for project ${written.projectId}.`,
          `  Repository:     ${tildify(written.repoPath, cli.homeDir)} (default branch ${written.defaultBranch})`,
          `  Session prefix: ${written.sessionPrefix}`,
          `  Agent:          ${written.agent}`,
          `Next: ao spawn ${written.projectId} <issue> --prompt "…"`
        ].join("\n")
      )
    )
  )
