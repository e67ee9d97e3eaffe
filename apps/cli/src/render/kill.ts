import type { KillResult } from "@ao/domain"
import { Option } from "effect"

/** Spec "Output Example" of kill, plus where the uncommitted work went and how to get it back. */
export const renderKill = (result: KillResult): string =>
  [
    `Session ${result.id} killed.`,
    ...(result.alreadyKilled ? ["  It was already killed; this run finished what its teardown had left."] : []),
    ...Option.match(result.snapshotRef, {
      onNone: () => [],
      onSome: (ref) => [
        `  Uncommitted work saved to ${ref}`,
        `  Get it back: ao session restore ${result.id} --recreate  (or in a worktree: git restore --source ${ref} --worktree -- .)`
      ]
    })
  ].join("\n")
