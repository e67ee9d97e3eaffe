import type { Session } from "@ao/domain"
import { sessionSummary } from "./session-summary"

/**
 * What spawn prints; the last line is machine-readable for scripts: `SESSION=<name>`.
 * The worktree was just made on the recorded branch, so that is the live one.
 */
export const renderSpawn = (session: Session, homeDir: string): string =>
  [`Session ${session.id} spawned.`, ...sessionSummary(session, session.branch, homeDir), `SESSION=${session.id}`].join("\n")
