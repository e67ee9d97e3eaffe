/**
 * What a worktree holds beyond its HEAD commit, from one
 * `git status --porcelain=v2 --branch --untracked-files=all --ignored=matching -z`.
 * `-z` keeps paths unquoted. Ignored directories are listed once (`build/`),
 * never file by file, so a large `node_modules/` costs nothing here.
 */
export interface WorktreeSurvey {
  readonly head: string
  /** The branch checked out; null when HEAD is detached. */
  readonly branch: string | null
  /** Tracked files changed in the index or the working tree. */
  readonly changed: number
  /** Files with a merge conflict: their working files are saved, the conflict itself is not. */
  readonly conflicted: ReadonlyArray<string>
  readonly untracked: number
  /** Untracked directories git did not enter: repositories of their own (`nested/`). */
  readonly nested: ReadonlyArray<string>
  /** Submodules with changes or commits of their own. */
  readonly changedSubmodules: ReadonlyArray<string>
  /** Ignored files and directories (`build/`), as git lists them. */
  readonly ignored: ReadonlyArray<string>
}

/** Fields before the path in each kind of entry (`1`, `2`, `u`), after the kind itself. */
const FIELDS_BEFORE_PATH: Record<string, number> = { "1": 7, "2": 8, u: 9 }

export const STATUS_ARGS = ["status", "--porcelain=v2", "--branch", "--untracked-files=all", "--ignored=matching", "-z"] as const

export const parseSurvey = (output: string): WorktreeSurvey => {
  let head = ""
  let branch: string | null = null
  let changed = 0
  let untracked = 0
  const conflicted: Array<string> = []
  const nested: Array<string> = []
  const changedSubmodules: Array<string> = []
  const ignored: Array<string> = []
  const entries = output.split("\0")
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? ""
    if (entry.startsWith("# branch.oid ")) head = entry.slice("# branch.oid ".length)
    else if (entry.startsWith("# branch.head ")) {
      const name = entry.slice("# branch.head ".length)
      branch = name === "(detached)" ? null : name
    } else if (entry.startsWith("? ")) {
      const path = entry.slice(2)
      if (path.endsWith("/")) nested.push(path.slice(0, -1))
      else untracked++
    } else if (entry.startsWith("! ")) ignored.push(entry.slice(2))
    else {
      const fields = FIELDS_BEFORE_PATH[entry.charAt(0)]
      if (fields === undefined || entry.charAt(1) !== " ") continue
      const parts = entry.split(" ")
      const path = parts.slice(fields + 1).join(" ")
      changed++
      if (entry.charAt(0) === "u") conflicted.push(path)
      if (parts[2]?.startsWith("S") === true) changedSubmodules.push(path)
      // A rename's original path follows as an entry of its own.
      if (entry.charAt(0) === "2") i++
    }
  }
  return { head, branch, changed, conflicted, untracked, nested, changedSubmodules, ignored }
}
