/** Paths under the home directory shown with `~`, as the spec prints them (`~/.worktrees/…`). */
export const tildify = (text: string, homeDir: string): string => {
  if (homeDir === "" || homeDir === "/") return text
  const home = homeDir.endsWith("/") ? homeDir.slice(0, -1) : homeDir
  // Only whole path segments: /home/al must not turn /home/alice into ~ice.
  return text.replace(new RegExp(`${escapeRegExp(home)}(?=/|$|\\s)`, "g"), "~")
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
