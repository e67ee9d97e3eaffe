import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { githubRepoOfRemote } from "../src/github-remote"

describe("githubRepoOfRemote", () => {
  it.each([
    ["git@github.com:owner/name.git", "owner/name"],
    ["git@github.com:owner/name", "owner/name"],
    ["https://github.com/owner/name.git", "owner/name"],
    ["https://github.com/owner/name", "owner/name"],
    ["https://github.com/owner/name/", "owner/name"],
    ["https://token@github.com/Owner-1/my.repo_x.git", "Owner-1/my.repo_x"],
    ["http://github.com/owner/name", "owner/name"],
    ["ssh://git@github.com/owner/name", "owner/name"],
    ["ssh://git@github.com:22/owner/name.git", "owner/name"],
    ["git://github.com/owner/name.git", "owner/name"],
    ["  https://GitHub.com/owner/name.git\n", "owner/name"]
  ])("%s → %s", (url, repo) => {
    expect(githubRepoOfRemote(url)).toEqual(Option.some(repo))
  })

  it.each([
    "origin",
    "/srv/git/name.git",
    "../name",
    "file:///srv/git/name.git",
    "git@gitlab.com:owner/name.git",
    "https://github.example.com/owner/name.git",
    "https://notgithub.com/owner/name",
    "https://github.com/owner",
    "https://github.com/owner/name/tree/main",
    "https://github.com/owner/..",
    ""
  ])("%s is not a GitHub repository", (url) => {
    expect(githubRepoOfRemote(url)).toEqual(Option.none())
  })
})
