import type { SpawnResult } from "@ao/domain"
import { DateTime, Option } from "effect"
import { tildify } from "./home-path"
import { sessionSummary } from "./session-summary"

/** What became of the killed or done session of the same name, and of its branch. */
const freshStartLines = (result: SpawnResult, homeDir: string): ReadonlyArray<string> => [
  ...Option.match(result.superseded, {
    onNone: () => [],
    onSome: ({ session, keptAt }) => [
      `  Replaces the ${session.status} session of ${DateTime.formatIso(session.createdAt).slice(0, 10)}; its record is kept at ${tildify(keptAt, homeDir)}`,
      `  Its snapshots stay under refs/ao/snapshots/${session.id}/ in the repository.`
    ]
  }),
  ...(result.branchExisted
    ? [`  Branch ${result.session.branch} already existed: the new worktree continues on it, with its commits.`]
    : [])
]

/**
 * What spawn prints; the last line is machine-readable for scripts: `SESSION=<name>`.
 * The worktree was just made on the recorded branch, so that is the live one.
 */
export const renderSpawn = (result: SpawnResult, homeDir: string): string => {
  const { session } = result
  return [
    `Session ${session.id} spawned.`,
    ...sessionSummary(session, session.branch, homeDir),
    ...freshStartLines(result, homeDir),
    `SESSION=${session.id}`
  ].join("\n")
}
