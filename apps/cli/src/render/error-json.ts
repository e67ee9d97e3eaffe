import { type DomainError, errorView } from "@ao/domain"
import type { FailureContext } from "./error-text"

/**
 * A failure as `--json` prints it: `{"error": …}`, with the session's name
 * first when the failure was about one (`{"name": "ao-7", "error": …}`, the
 * shape of one failed session of a batch), so a script knows which one failed.
 */
export const failureJson = (error: DomainError, mode: FailureContext): string => {
  // Errors about one session carry its name as `id` (spawn learns the name only as it runs).
  const name = mode.session ?? ("id" in error && typeof error.id === "string" ? error.id : undefined)
  return JSON.stringify(name === undefined ? errorView(error) : { name, ...errorView(error) })
}
