import { type LiveServices, makeLiveLayer } from "@ao/composition-root"
import { type DomainError, parseSessionName } from "@ao/domain"
import { Console, Effect } from "effect"
import { homedir } from "node:os"
import { realpathSync } from "node:fs"
import { dirname, join, resolve, sep } from "node:path"
import { CommandFailed } from "../command-failed"
import { failureJson } from "../render/error-json"
import { errorText, type FailureContext } from "../render/error-text"
import { type Style, styleFor } from "../render/style"

/**
 * The `ao` launcher this process runs as (bin/ao.js), also when started as
 * the bundle itself (dist/ao.js): agents' hooks call it, and it sends
 * `ao hook` to its tiny entry.
 */
const launcherPath = (script: string): string => {
  const real = realpathSync(script)
  return real.endsWith(`${sep}dist${sep}ao.js`) ? join(dirname(real), "..", "bin", "ao.js") : real
}

/** What every command reads from the process, once. */
export const cli = {
  cwd: process.cwd(),
  env: process.env,
  homeDir: homedir(),
  actor: `cli:${process.pid}`,
  /** How agents' hooks run this very `ao`: the node binary and the launcher it was started through. */
  aoCommand: [process.execPath, launcherPath(resolve(process.argv[1] ?? "ao"))],
  stdoutStyle: (): Style => styleFor(process.env, process.stdout.isTTY === true)
}

export interface OutputMode extends FailureContext {
  readonly json: boolean
}

/** Prints a failure on stderr (JSON in --json mode) and ends the command with exit code 1. */
export const reportFailure =
  (mode: OutputMode) =>
  (error: DomainError): Effect.Effect<never, CommandFailed> =>
    Effect.zipRight(
      Console.error(mode.json ? failureJson(error, mode) : errorText(error, mode, cli.homeDir)),
      Effect.fail(new CommandFailed({ exitCode: 1 }))
    )

/**
 * Runs a use case on the live layer (config → store → tmux → git → GitHub);
 * config errors surface when the layer is built and are reported like any other.
 */
export const runUseCase = <A>(
  useCase: Effect.Effect<A, DomainError, LiveServices>,
  mode: OutputMode
): Effect.Effect<A, CommandFailed> =>
  useCase.pipe(
    Effect.provide(makeLiveLayer({ cwd: cli.cwd, env: cli.env, homeDir: cli.homeDir, actor: cli.actor, aoCommand: cli.aoCommand })),
    Effect.catchAll(reportFailure(mode))
  )

/** Rejects a bad session name (`../x`, spaces, empty) before the config is even read. */
export const checkSessionName = (input: string, mode: OutputMode): Effect.Effect<void, CommandFailed> =>
  parseSessionName(input).pipe(Effect.asVoid, Effect.catchAll(reportFailure(mode)))

export const printJson = (value: unknown) => Console.log(JSON.stringify(value, null, 2))
