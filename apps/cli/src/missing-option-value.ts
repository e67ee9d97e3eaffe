/**
 * Options that take a value, with what the value is. @effect/cli reports a
 * value-taking option given last without one as an unknown argument
 * (`ao session ls -p` → "Received unknown argument: '-p'"); this says what is missing.
 */
const VALUE_OF: Readonly<Record<string, string>> = {
  "-p": "a project ID",
  "--project": "a project ID",
  "--prompt": "the text of the agent's first prompt",
  "--agent": "an agent preset name (claude, codex, aider, …)",
  "--file": "the path of a file",
  "--completions": "a shell: bash, zsh, fish or sh",
  "--log-level": "a level: all, trace, debug, info, warning, error, fatal or none"
}

/** "Option -p needs a value: a project ID" when an option that takes a value ends the arguments or is followed by another option. */
export const missingOptionValue = (args: ReadonlyArray<string>): string | undefined => {
  for (const [index, arg] of args.entries()) {
    const wanted = VALUE_OF[arg]
    if (wanted === undefined) continue
    const next = args[index + 1]
    if (next === undefined || (next.startsWith("-") && next.length > 1)) return `Option ${arg} needs a value: ${wanted}`
  }
  return undefined
}
