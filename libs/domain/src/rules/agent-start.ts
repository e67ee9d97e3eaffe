import type { RuntimeSessionInfo } from "../ports/runtime"

/** How many of the pane's last lines a failed start shows. */
export const START_OUTPUT_LINES = 8

/**
 * What the start check saw: the agent still runs, or it is gone — its pane
 * dead (with the exit status when the runtime knows it) or its session
 * vanished altogether (someone ended it).
 */
export type AgentStart =
  | { readonly _tag: "Running" }
  | { readonly _tag: "Exited"; readonly exitStatus: number | undefined }
  | { readonly _tag: "Vanished" }

/** The verdict on the runtime's listing entry for the session (undefined: not listed). */
export const agentStart = (info: RuntimeSessionInfo | undefined): AgentStart =>
  info === undefined
    ? { _tag: "Vanished" }
    : info.paneDead
      ? { _tag: "Exited", exitStatus: info.exitStatus }
      : { _tag: "Running" }

/** Whether a later look could tell more: a dead pane whose exit status the runtime has not filled in yet. */
export const exitStatusPending = (start: AgentStart): boolean => start._tag === "Exited" && start.exitStatus === undefined

/** The last non-empty lines of a captured pane, trailing blanks trimmed. */
export const lastOutputLines = (screen: string, count: number = START_OUTPUT_LINES): ReadonlyArray<string> =>
  screen
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0)
    .slice(-count)
