import { Context, type Effect, type Option } from "effect"
import type { WorkspaceFailed } from "../errors"

/**
 * The file in a session's worktree that holds a prompt too long for an
 * argument: written whole before the agent starts and kept out of git (the
 * repository's `info/exclude`), so it is never committed by accident.
 */
export class TaskFile extends Context.Tag("@ao/domain/TaskFile")<
  TaskFile,
  {
    /** Writes `text` to `file` (relative to the worktree), replacing what was there. */
    readonly write: (request: {
      readonly workspacePath: string
      readonly file: string
      readonly text: string
    }) => Effect.Effect<void, WorkspaceFailed>
    /** What the file holds; None when there is none. */
    readonly read: (request: { readonly workspacePath: string; readonly file: string }) => Effect.Effect<Option.Option<string>, WorkspaceFailed>
  }
>() {}
