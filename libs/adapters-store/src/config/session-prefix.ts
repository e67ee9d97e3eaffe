/**
 * A short session prefix from a project id: the initials of a multi-word id
 * (`agent-orchestrator` → `ao`, `my-app` → `ma`, `myApp` → `ma`), a short
 * word whole (`api`, `docs`), a longer one cut to three letters (`backend` → `bac`).
 */
export const derivePrefix = (projectId: string): string => {
  const words = projectId
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .map((word) => word.toLowerCase())
    .filter((word) => word.length > 0)
  const [first] = words
  if (first === undefined) return "ao"
  if (words.length > 1) return words.map((word) => word[0]).join("").slice(0, 24)
  return first.length <= 4 ? first : first.slice(0, 3)
}
