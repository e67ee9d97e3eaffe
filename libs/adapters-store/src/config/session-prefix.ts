/** Longest project id used whole as the prefix: longer ones make session names hard to type. */
const WHOLE_ID_MAX_LENGTH = 16

/**
 * A session prefix from a project id: the id itself when it can be one
 * (`my-app`, `api`, `backend`), so the spec's Batch Kill script
 * (`ao session ls --project my-app | grep my-app`) finds the project's
 * sessions by name. Otherwise short: the initials of a multi-word id
 * (`agent-orchestrator` → `ao`, `myApp` → `ma`), a word cut to three letters
 * (`Website2` → `web`).
 */
export const derivePrefix = (projectId: string): string => {
  if (projectId.length <= WHOLE_ID_MAX_LENGTH && /^[a-z0-9][a-z0-9-]*$/.test(projectId)) return projectId
  const words = projectId
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .map((word) => word.toLowerCase())
    .filter((word) => word.length > 0)
  const [first] = words
  if (first === undefined) return "ao"
  if (words.length > 1) return words.map((word) => word[0]).join("").slice(0, 24)
  return first.length <= 4 ? first : first.slice(0, 3)
}
