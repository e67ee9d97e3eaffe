import type { Session } from "@ao/domain"
import { tildify } from "./home-path"

/**
 * The lines spawn and restore print under their headline, aligned as in the
 * spec's restore example. The attach line names the session plainly, as the
 * spec shows it: tmux matches an exact name before any prefix.
 */
export const sessionSummary = (session: Session, homeDir: string): ReadonlyArray<string> => [
  `  Worktree: ${tildify(session.workspacePath, homeDir)}`,
  `  Branch:   ${session.branch}`,
  `  Attach:   tmux attach -t ${session.runtimeHandle}`
]
