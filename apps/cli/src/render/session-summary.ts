import type { Session } from "@ao/domain"
import { tildify } from "./home-path"

/**
 * The lines spawn and restore print under their headline, aligned as in the
 * spec's restore example. The attach line names the session plainly, as the
 * spec shows it: tmux matches an exact name before any prefix. The branch is
 * the live one where the worktree may have moved on from the recorded one.
 */
export const sessionSummary = (session: Session, branch: string, homeDir: string): ReadonlyArray<string> => [
  `  Worktree: ${tildify(session.workspacePath, homeDir)}`,
  `  Branch:   ${branch}`,
  `  Attach:   tmux attach -t ${session.runtimeHandle}`
]
