import type { WorkspaceState } from "@ao/domain"

/**
 * Reads `git status --porcelain=v2 --branch --untracked-files=all` (without
 * -z, so every entry is one line): `# branch.oid` is the head, `# branch.ab
 * +<ahead> -<behind>` appears only when there is an upstream, entries `1`,
 * `2` and `u` are tracked changes, `?` is an untracked file.
 */
export const parseStatus = (output: string): WorkspaceState => {
  let head = ""
  let unpushed: number | null = null
  let changed = 0
  let untracked = 0
  for (const line of output.split("\n")) {
    if (line.startsWith("# branch.oid ")) head = line.slice("# branch.oid ".length)
    else if (line.startsWith("# branch.ab ")) unpushed = Number(/\+(\d+)/.exec(line)?.[1] ?? "0")
    else if (line.startsWith("? ")) untracked++
    else if (/^[12u] /.test(line)) changed++
  }
  return { head, changed, untracked, unpushed }
}
