import type { KillResult } from "@ao/domain"
import { Option } from "effect"

/**
 * Spec "Output Example" of kill, plus what was saved and the one command that
 * brings it back, and what `--force` removed without saving.
 */
export const renderKill = (result: KillResult): string =>
  [
    `Session ${result.id} killed.`,
    ...(result.alreadyKilled ? ["  It was already killed; this run finished what its teardown had left."] : []),
    ...Option.match(result.snapshotRef, {
      onNone: () => [],
      onSome: (ref) => [
        `  Work saved to ${ref} (changes, staged and untracked files, ignored files, nested repositories, commits no branch reaches)`,
        `  Get it back: ao session restore ${result.id} --recreate`
      ]
    }),
    ...result.notSaved.map((lost) => `  Removed without saving (--force): ${lost}`)
  ].join("\n")
