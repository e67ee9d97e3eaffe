import type { Session } from "@ao/domain"
import { sessionSummary } from "./session-summary"

/** What spawn prints; the last line is machine-readable for scripts: `SESSION=<name>`. */
export const renderSpawn = (session: Session, homeDir: string): string =>
  [`Session ${session.id} spawned.`, ...sessionSummary(session, homeDir), `SESSION=${session.id}`].join("\n")
