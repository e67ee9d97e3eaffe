import { Command, HelpDoc } from "@effect/cli"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import { Cause, Console, Effect, Exit, Layer } from "effect"
import { version } from "../package.json"
import { ao, commandsByPath } from "./cli"
import { colourlessConsole } from "./colourless-console"
import { CommandFailed } from "./command-failed"
import { EXIT_ERROR, EXIT_INTERRUPTED, EXIT_USAGE, exitCodeOf } from "./exit-code"
import { helpDocsOf } from "./help/help-doc"
import { helpPage } from "./help/help-page"
import { helpRequest, WIZARD_REFUSED } from "./help/help-request"
import { helpWidth } from "./help/terminal-width"
import { missingOptionValue } from "./missing-option-value"
import { ansiStyle, styleFor } from "./render/style"
import { usageLine } from "./usage-line"

const run = Command.run(ao, { name: "ao", version })

const usageError = (message: string) =>
  Effect.zipRight(Console.error(message), Effect.fail(new CommandFailed({ exitCode: EXIT_USAGE })))

/**
 * Help pages, `--wizard` and missing option values are handled before
 * @effect/cli parses: its pages are replaced by ao's own (help/help-page.ts),
 * and it would call a missing value an unknown argument.
 */
const checkOptionValues = Effect.suspend(() => {
  const args = process.argv.slice(2)
  const helpFor = helpRequest(
    args,
    commandsByPath.map(([path]) => path)
  )
  if (helpFor !== undefined) {
    return Console.log(helpPage(helpDocsOf(commandsByPath), helpFor, version, helpWidth(process.env, process.stdout.columns)).trimEnd())
  }
  if (args.includes("--wizard")) return usageError(WIZARD_REFUSED)
  const problem = missingOptionValue(args)
  return problem === undefined ? run(process.argv) : usageError(`${problem}\n${usageLine(args)}`)
})

const program = checkOptionValues.pipe(
  // Expected failures were printed by the command (or by @effect/cli for usage errors); a defect is a bug.
  Effect.tapDefect((cause) => Console.error(`ao: internal error\n${Cause.pretty(cause)}`)),
  // @effect/cli has described a usage mistake; add the usage line of the command it was about.
  Effect.tapError((error) =>
    error._tag === "CommandFailed" || HelpDoc.isEmpty(error.error) ? Effect.void : Console.error(usageLine(process.argv.slice(2)))
  ),
  Effect.exit,
  Effect.map((exit) => {
    process.exitCode = exitCodeOf(exit)
  }),
  Effect.provide(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer))
)

const colour = {
  stdout: styleFor(process.env, process.stdout.isTTY === true) === ansiStyle,
  stderr: styleFor(process.env, process.stderr.isTTY === true) === ansiStyle
}

NodeRuntime.runMain(Console.consoleWith((base) => Console.withConsole(program, colourlessConsole(base, colour))), {
  disableErrorReporting: true,
  // The program sets process.exitCode itself; only an interruption (Ctrl-C) or a failure to start lands here.
  teardown: (exit, onExit) =>
    onExit(Exit.isSuccess(exit) ? 0 : Cause.isInterruptedOnly(exit.cause) ? EXIT_INTERRUPTED : EXIT_ERROR)
})
