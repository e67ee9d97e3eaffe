import { Option } from "effect"

/**
 * The ways git writes a remote on github.com, each ending in `owner/name`
 * with an optional `.git` (and a trailing slash a browser copy may leave):
 * `git@github.com:owner/name.git` (scp-like), `ssh://git@github.com[:22]/owner/name`,
 * `https://[user@]github.com/owner/name`, `git://github.com/owner/name`.
 */
const GITHUB_REMOTE =
  /^(?:[\w.-]+@github\.com:|(?:ssh|https?|git):\/\/(?:[^@/]+@)?github\.com(?::\d+)?\/)([A-Za-z0-9-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/i

/** `owner/name` when `url` is a GitHub remote; none for any other host or shape. */
export const githubRepoOfRemote = (url: string): Option.Option<string> => {
  const match = GITHUB_REMOTE.exec(url.trim())
  if (match === null) return Option.none()
  const [, owner, name] = match
  // ".git" alone, "." or ".." are not repositories.
  return owner === undefined || name === undefined || /^\.*$/.test(name) ? Option.none() : Option.some(`${owner}/${name}`)
}
