import { agentCommandProblem } from "@ao/domain"
import { Either } from "effect"

/** One tmux command: its name and arguments, e.g. `["kill-session", "-t", "=ao-1"]`. */
export type TmuxCommand = ReadonlyArray<string>

/**
 * tmux re-parses its arguments: any argument ending in ';' ends a command,
 * and a trailing '\;' stands for a literal ';'. So a prompt like "fix it;"
 * would be cut in two. Escaping that final ';' makes every argument arrive
 * verbatim.
 */
export const escapeArgument = (argument: string): string =>
  argument.endsWith(";") ? `${argument.slice(0, -1)}\\;` : argument

/** The arguments that run `commands` in order in one tmux process; the chain stops at the first failure. */
export const commandSequence = (commands: ReadonlyArray<TmuxCommand>): ReadonlyArray<string> =>
  commands.flatMap((command, index) => [...(index === 0 ? [] : [";"]), ...command.map(escapeArgument)])

/** The exact target of a session: `=ao-1` never matches `ao-10`. */
export const sessionTarget = (name: string): string => `=${name}`

/** The active pane of a session's current window, exactly. */
export const paneTarget = (name: string): string => `=${name}:`

/**
 * The agent command as tmux must receive it to exec it directly. tmux runs a
 * one-word command through `sh -c`, and when it execs a longer one itself a
 * missing program exits 1 without a word; so every command is handed to
 * `env`, which execs it, or exits 127 saying the program was not found (and
 * would read a lone word with '=' as a variable: refused, with every other
 * command no runtime can start, by `agentCommandProblem`).
 */
export const directCommand = (argv: ReadonlyArray<string>): Either.Either<ReadonlyArray<string>, string> => {
  const problem = agentCommandProblem(argv)
  if (problem !== undefined) return Either.left(problem)
  return Either.right(["env", "--", ...argv])
}
