import { Option } from "effect"

/** A GitHub repository as the API addresses it. */
export interface RepositoryRef {
  readonly owner: string
  readonly name: string
}

export const slugOf = (repo: RepositoryRef): string => `${repo.owner}/${repo.name}`

/** `owner/name` (already validated as a RepoSlug by the config). */
export const repositoryOf = (slug: string): RepositoryRef => {
  const [owner = "", name = ""] = slug.split("/")
  return { owner, name }
}

/** GitHub issue numbers are positive integers; `INT-1234`-style ids belong to other trackers. */
export const issueNumberOf = (issueId: string): Option.Option<number> =>
  /^[1-9]\d{0,9}$/.test(issueId) ? Option.some(Number(issueId)) : Option.none()

/** The repository and number of a PR URL (`https://<host>/<owner>/<name>/pull/<number>`, any host). */
export const parsePullRequestUrl = (url: string): Option.Option<{ readonly repo: RepositoryRef; readonly number: number }> => {
  const match = /^https?:\/\/[^/]+\/([^/]+)\/([^/]+)\/pull\/(\d+)\/?(?:[?#].*)?$/.exec(url)
  return match === null
    ? Option.none()
    : Option.some({ repo: { owner: match[1] ?? "", name: match[2] ?? "" }, number: Number(match[3]) })
}
