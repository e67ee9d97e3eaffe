import { trustConfig } from "@ao/composition-root"
import { displayCommand } from "@ao/domain"
import { Console, Effect, Option } from "effect"
import { tildify } from "../render/home-path"
import { cli, printJson, reportFailure } from "./run-use-case"

/** `ao trust [path]`: lets a repository's config run its agent commands, shown here, until the file changes. */
export const trust = (input: { readonly path: Option.Option<string>; readonly json: boolean }) =>
  trustConfig({ cwd: cli.cwd, env: cli.env, homeDir: cli.homeDir, path: Option.getOrUndefined(input.path) }).pipe(
    Effect.catchAll(reportFailure({ json: input.json })),
    Effect.flatMap((trusted) =>
      input.json
        ? printJson(trusted)
        : Console.log(
            [
              `Trusted ${tildify(trusted.path, cli.homeDir)} (sha256 ${trusted.sha256.slice(0, 12)}…)${trusted.own ? ", your own config, which never needed it" : ""}.`,
              "ao may now run these commands from it:",
              ...trusted.commands.map(
                (command) =>
                  `  ${command.project} · ${command.agent}: ${displayCommand(command.launch)}  (resume: ${displayCommand(command.resume)})`
              ),
              "Any change to the file needs ao trust again."
            ].join("\n")
          )
    )
  )
