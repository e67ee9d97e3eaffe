import { describe, expect, it } from "@effect/vitest"
import { Either, Option } from "effect"
import { restoreValidation } from "../src/rules/restore-validation"
import { IssueId } from "../src/session-name"
import { aRuntime, aSession } from "./session-fixture"

describe("restoreValidation", () => {
  it("refuses a session whose agent is still running", () => {
    const result = restoreValidation({
      session: aSession(),
      runtime: Option.some(aRuntime()),
      workspaceExists: true,
      recreate: true
    })
    expect(Either.getLeft(result).pipe(Option.map((error) => error.message))).toEqual(
      Option.some("Cannot restore: Session is still running")
    )
  })

  it("names the session's project and issue, so the hints can spell out the spawn that starts afresh", () => {
    const session = aSession({ issueId: Option.some(IssueId.make("INT-1")) })
    const running = restoreValidation({ session, runtime: Option.some(aRuntime()), workspaceExists: true, recreate: false })
    expect(Either.getLeft(running).pipe(Option.map((error) => error.hint.split("\n").at(-1)))).toEqual(
      Option.some("  ao spawn agent-orchestrator INT-1  # Create fresh session")
    )
    const missing = restoreValidation({ session, runtime: Option.none(), workspaceExists: false, recreate: false })
    expect(Either.getLeft(missing).pipe(Option.map((error) => error.hint.split("\n")[1]))).toEqual(
      Option.some("  ao spawn agent-orchestrator INT-1")
    )
  })

  it("restores a crashed session in its existing worktree", () => {
    const result = restoreValidation({ session: aSession(), runtime: Option.none(), workspaceExists: true, recreate: false })
    expect(result).toEqual(Either.right({ killLingeringRuntime: false, recreateWorkspace: false, adoptRunningRuntime: false }))
  })

  it("restores a session whose agent exited, killing the lingering tmux session first", () => {
    const result = restoreValidation({
      session: aSession(),
      runtime: Option.some(aRuntime({ paneDead: true })),
      workspaceExists: true,
      recreate: false
    })
    expect(result).toEqual(Either.right({ killLingeringRuntime: true, recreateWorkspace: false, adoptRunningRuntime: false }))
  })

  it("finishes an interrupted restore: a killed session whose agent already runs in its own worktree", () => {
    const killed = aSession({ status: "killed" })
    const inItsWorktree = restoreValidation({
      session: killed,
      runtime: Option.some(aRuntime({ path: killed.workspacePath })),
      workspaceExists: true,
      recreate: false
    })
    expect(inItsWorktree).toEqual(Either.right({ killLingeringRuntime: false, recreateWorkspace: false, adoptRunningRuntime: true }))
    // Anything else running under its name is not ours to adopt, and is said to be a stranger's.
    const elsewhere = restoreValidation({
      session: killed,
      runtime: Option.some(aRuntime({ path: "/somewhere/else" })),
      workspaceExists: true,
      recreate: false
    })
    expect(Either.getLeft(elsewhere).pipe(Option.map((error) => error.message))).toEqual(
      Option.some("tmux session ao-int-1 already exists and ao did not start it (it runs in /somewhere/else)")
    )
  })

  it("refuses a missing worktree with its path unless asked to recreate it", () => {
    const session = aSession({ status: "killed" })
    const refused = restoreValidation({ session, runtime: Option.none(), workspaceExists: false, recreate: false })
    expect(Either.getLeft(refused).pipe(Option.map((error) => error.message))).toEqual(
      Option.some("Workspace missing: /wt/agent-orchestrator-int-1")
    )
    const recreated = restoreValidation({ session, runtime: Option.none(), workspaceExists: false, recreate: true })
    expect(recreated).toEqual(Either.right({ killLingeringRuntime: false, recreateWorkspace: true, adoptRunningRuntime: false }))
  })
})
