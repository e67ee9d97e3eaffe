import { initConfig } from "@ao/composition-root"
import { Console, Effect, Option } from "effect"
import { tildify } from "../render/home-path"
import { cli, reportFailure } from "./run-use-case"

const trackerLine = (githubRepo: Option.Option<string>): string =>
  Option.match(githubRepo, { onNone: () => "none (origin is not on GitHub)", onSome: (repo) => `github (${repo})` })

/** `ao init`: needs no config (it writes one), so it runs outside the live layer. */
export const init = (input: { readonly agent: Option.Option<string> }) =>
  initConfig({ cwd: cli.cwd, env: cli.env, homeDir: cli.homeDir, agent: Option.getOrUndefined(input.agent) }).pipe(
    Effect.catchAll(reportFailure({ json: false })),
    Effect.flatMap((written) =>
      Console.log(
        [
          `Wrote ${tildify(written.path, cli.homeDir)} for project ${written.projectId} (trusted as written: ao runs its agent commands until the file changes).`,
          `  Repository:     ${tildify(written.repoPath, cli.homeDir)} (default branch ${written.defaultBranch})`,
          `  Tracker:        ${trackerLine(written.githubRepo)}`,
          `  Session prefix: ${written.sessionPrefix}`,
          `  Agent:          ${written.agent}`,
          `Next: ao spawn ${written.projectId} <issue> --prompt "…"`,
          `To use it from any directory: ao project add ${tildify(written.repoPath, cli.homeDir)}`
        ].join("\n")
      )
    )
  )
