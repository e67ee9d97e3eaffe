import { workspaceContract } from "@ao/adapters-memory/contracts/workspace"
import { isolateGitFromUser, makeGitFixture } from "./git-fixture"

isolateGitFromUser()

workspaceContract("git", makeGitFixture)
