import {
  ConfigNotFound,
  Session,
  SessionNotFound,
  SessionStillRunning,
  UnknownProject,
  WorkspaceFailed,
  WorkspaceMissing
} from "@ao/domain"
import { Duration, Option } from "effect"
import { describe, expect, it } from "vitest"
import { formatAge } from "../src/render/age"
import { CLEANUP_HEADER, renderCleanupPlan, renderCleanupReport } from "../src/render/cleanup"
import { errorText } from "../src/render/error-text"
import { tildify } from "../src/render/home-path"
import { renderKill } from "../src/render/kill"
import { renderRestore } from "../src/render/restore"
import { renderSessionList, renderSessionNames } from "../src/render/session-list"
import { renderSpawn } from "../src/render/spawn"
import { ansiStyle, plainStyle, styleFor } from "../src/render/style"
import { HOME, pullRequest, session, view } from "./fixtures"

const plain = { style: plainStyle, homeDir: HOME }

describe("age", () => {
  it("reads like the spec: 2m, 15m, 1h", () => {
    expect(formatAge(Duration.seconds(125))).toBe("2m")
    expect(formatAge(Duration.minutes(15))).toBe("15m")
    expect(formatAge(Duration.minutes(61))).toBe("1h")
    expect(formatAge(Duration.seconds(9))).toBe("9s")
    expect(formatAge(Duration.hours(49))).toBe("2d")
  })
})

describe("paths under home", () => {
  it("show with ~, whole segments only", () => {
    expect(tildify("/home/dev/.worktrees/x", HOME)).toBe("~/.worktrees/x")
    expect(tildify("/home/developer/x", HOME)).toBe("/home/developer/x")
    expect(tildify("Workspace missing: /home/dev", HOME)).toBe("Workspace missing: ~")
  })
})

describe("colours", () => {
  it("are off with NO_COLOR or without a terminal, on with FORCE_COLOR", () => {
    expect(styleFor({}, true)).toBe(ansiStyle)
    expect(styleFor({ NO_COLOR: "1" }, true)).toBe(plainStyle)
    expect(styleFor({}, false)).toBe(plainStyle)
    expect(styleFor({ FORCE_COLOR: "1" }, false)).toBe(ansiStyle)
    expect(styleFor({ FORCE_COLOR: "1", NO_COLOR: "1" }, false)).toBe(plainStyle)
  })
})

describe("session ls", () => {
  const listed = { ...plain, headers: true }

  it("groups sessions under their project like the spec's example", () => {
    const text = renderSessionList(
      {
        sessions: [
          view("ao-int-1234", { pr: Option.some(pullRequest(156)) }),
          view("ao-int-1235", {
            session: session("ao-int-1235", { branch: "int-1235-add-tests" }),
            branchDisplay: "int-1235-add-tests",
            age: Duration.minutes(15),
            status: "idle"
          }),
          view("ma-int-456", { projectName: "my-app", branchDisplay: "int-456-ui-update", age: Duration.minutes(5), status: "active" })
        ],
        broken: [],
        hiddenEnded: 0
      },
      listed
    )
    expect(text).toEqual({
      stdout: [
        "agent-orchestrator:",
        "  ao-int-1234  (2m)  int-1234-fix-errors  [working]  https://github.com/owner/repo/pull/156",
        "  ao-int-1235  (15m)  int-1235-add-tests  [idle]",
        "",
        "my-app:",
        "  ma-int-456  (5m)  int-456-ui-update  [active]"
      ].join("\n"),
      stderr: ""
    })
  })

  it("leaves the project line out when asked (ls --project), so a pipe sees sessions only", () => {
    const { stdout } = renderSessionList({ sessions: [view("ao-1")], broken: [], hiddenEnded: 0 }, { ...plain, headers: false })
    expect(stdout).toBe("  ao-1  (2m)  int-1234-fix-errors  [working]")
  })

  it("colours id green, age dim, branch cyan, status dim, PR blue", () => {
    const { stdout: text } = renderSessionList(
      { sessions: [view("ao-1", { pr: Option.some(pullRequest(1)) })], broken: [], hiddenEnded: 0 },
      { style: ansiStyle, homeDir: HOME, headers: true }
    )
    expect(text).toContain(ansiStyle.green("ao-1"))
    expect(text).toContain(ansiStyle.dim("(2m)"))
    expect(text).toContain(ansiStyle.cyan("int-1234-fix-errors"))
    expect(text).toContain(ansiStyle.dim("[working]"))
    expect(text).toContain(ansiStyle.blue("https://github.com/owner/repo/pull/1"))
  })

  it("marks sessions whose runtime died and counts hidden ended ones, the hints on stderr", () => {
    const { stdout, stderr } = renderSessionList(
      { sessions: [view("ao-1", { runtimeAlive: false })], broken: [], hiddenEnded: 2 },
      listed
    )
    expect(stdout).toContain("  ao-1  (2m)  int-1234-fix-errors  [working]  (runtime dead)")
    expect(stdout).not.toContain("restore")
    expect(stderr).toContain("1 session without a runtime: ao session restore <name>")
    expect(stderr.split("\n").at(-1)).toBe("2 killed or done sessions hidden (--all shows them).")
  })

  it("never shows [working] for a session whose worktree was deleted", () => {
    const { stdout, stderr } = renderSessionList(
      { sessions: [view("ao-1", { branch: { _tag: "Missing" } })], broken: [], hiddenEnded: 0 },
      listed
    )
    expect(stdout).toBe("agent-orchestrator:\n  ao-1  (2m)  int-1234-fix-errors  [worktree missing]")
    expect(stderr).toContain("1 session without a worktree: ao session restore <name> --recreate")
  })

  it("never hides an unreadable session file", () => {
    const list = {
      sessions: [],
      broken: [{ id: "ao-9", path: `${HOME}/.agent-orchestrator/sessions/ao-9.json`, problem: "not JSON", salvage: {} }],
      hiddenEnded: 0
    }
    expect(renderSessionList(list, listed).stdout).toContain("  ao-9  [unreadable]  ~/.agent-orchestrator/sessions/ao-9.json: not JSON")
    expect(renderSessionNames(list)).toBe("ao-9")
  })

  it("-q prints the names only", () => {
    expect(renderSessionNames({ sessions: [view("ao-1"), view("ao-2")], broken: [], hiddenEnded: 3 })).toBe("ao-1\nao-2")
  })
})

describe("cleanup", () => {
  const plan = {
    checkedAt: session("x").createdAt,
    candidates: [
      { id: "ao-int-1234", projectId: Option.some("ao"), criteria: ["pr-merged"] as const, pr: Option.none() },
      { id: "ao-int-1235", projectId: Option.some("ao"), criteria: ["issue-closed", "runtime-dead"] as const, pr: Option.none() }
    ],
    skipped: [],
    unverified: [{ id: "ao-int-1236", reason: "could not check: PR: rate limited" }],
    warnings: []
  }

  it("dry run keeps the spec's words and adds the criterion", () => {
    expect(`${CLEANUP_HEADER}\n${renderCleanupPlan(plan, plainStyle)}`).toBe(
      [
        "Checking for completed sessions...",
        "",
        "  Would kill ao-int-1234 (PR merged)",
        "  Would kill ao-int-1235 (issue closed, runtime dead)",
        "  Kept ao-int-1236 (could not check: PR: rate limited)",
        "",
        "Dry run complete. 2 sessions would be cleaned."
      ].join("\n")
    )
  })

  it("reports each cleaned and failed session, counting only what was cleaned", () => {
    const text = `${CLEANUP_HEADER}\n` + renderCleanupReport(
      { ...plan, unverified: [] },
      {
        cleaned: [{ id: "ao-int-1234", criteria: ["pr-merged"], snapshotRef: Option.some("refs/ao/snapshots/ao-int-1234/1") }],
        skipped: [],
        failed: [
          {
            id: "ao-int-1235",
            error: new WorkspaceFailed({ operation: "remove", path: `${HOME}/wt`, detail: "Worktree not found" })
          }
        ]
      },
      plain
    )
    expect(text).toBe(
      [
        "Checking for completed sessions...",
        "",
        "  Cleaned: ao-int-1234 (PR merged)",
        "    Uncommitted work saved to refs/ao/snapshots/ao-int-1234/1",
        "  Error cleaning ao-int-1235: Could not remove worktree ~/wt: Worktree not found",
        "",
        "Cleanup complete. 1 session cleaned."
      ].join("\n")
    )
  })
})

describe("kill, restore and spawn", () => {
  it("kill says the spec's line, what was saved and the one command that brings it back", () => {
    const base = { id: "ao-1", alreadyKilled: false, runtimeKilled: true, worktreeRemoved: true, head: Option.none(), notSaved: [] }
    expect(renderKill({ ...base, snapshotRef: Option.none() })).toBe("Session ao-1 killed.")
    const saved = renderKill({ ...base, snapshotRef: Option.some("refs/ao/snapshots/ao-1/x") })
    expect(saved.split("\n")).toEqual([
      "Session ao-1 killed.",
      "  Work saved to refs/ao/snapshots/ao-1/x (changes, staged and untracked files, ignored files, nested repositories, commits no branch reaches)",
      "  Get it back: ao session restore ao-1 --recreate"
    ])
    const forced = renderKill({ ...base, snapshotRef: Option.none(), notSaved: ["big.bin (60 bytes, over snapshot.maxFileBytes 50)"] })
    expect(forced).toContain("Removed without saving (--force): big.bin (60 bytes, over snapshot.maxFileBytes 50)")
  })

  it("restore aligns its lines like the spec, with the live branch", () => {
    const restored = session("ao-int-1234")
    expect(restored.branch).toBe("int-1234-fix-errors")
    const text = renderRestore(
      { session: restored, branch: "agent-renamed-it", worktreeRecreated: false, snapshotApplied: false, attachCommand: [], warnings: [] },
      HOME
    )
    expect(text).toBe(
      [
        "Session ao-int-1234 restored.",
        "  Worktree: ~/.worktrees/agent-orchestrator-int-1234",
        "  Branch:   agent-renamed-it",
        "  Attach:   tmux attach -t ao-int-1234"
      ].join("\n")
    )
  })

  it("spawn ends with SESSION=<name>", () => {
    const lines = renderSpawn({ session: session("ao-int-1234"), superseded: Option.none(), branchExisted: false, warnings: [] }, HOME).split("\n")
    expect(lines[0]).toBe("Session ao-int-1234 spawned.")
    expect(lines).toContain("  Attach:   tmux attach -t ao-int-1234")
    expect(lines.at(-1)).toBe("SESSION=ao-int-1234")
  })

  it("spawn says which ended session it replaces, where its record and snapshots are, and that the branch goes on", () => {
    const killed = new Session({ ...session("ao-int-1234"), status: "killed", snapshotRef: Option.some("refs/ao/snapshots/ao-int-1234/x") })
    const text = renderSpawn(
      {
        session: session("ao-int-1234"),
        superseded: Option.some({ session: killed, keptAt: `${HOME}/.agent-orchestrator/superseded/ao-int-1234.json` }),
        branchExisted: true,
        warnings: []
      },
      HOME
    )
    expect(text).toContain("  Replaces the killed session of ")
    expect(text).toContain("its record is kept at ~/.agent-orchestrator/superseded/ao-int-1234.json")
    expect(text).toContain("  Its snapshots stay under refs/ao/snapshots/ao-int-1234/ in the repository.")
    expect(text).toContain("already existed: the new worktree continues on it, with its commits.")
    expect(text.split("\n").at(-1)).toBe("SESSION=ao-int-1234")
  })
})

describe("errors", () => {
  it("read exactly as the spec's Common Issues and Restore Errors", () => {
    expect(errorText(new ConfigNotFound({ searched: [] }), {}, HOME)).toBe(
      "Error: No agent-orchestrator.yaml found\nRun: ao init"
    )
    expect(errorText(new UnknownProject({ projectId: "my-project", known: ["valid-project"] }), {}, HOME)).toBe(
      "Unknown project: my-project\nUse a valid project ID: valid-project"
    )
    expect(
      errorText(new SessionNotFound({ id: "ao-int-1234" }), { action: "kill session ao-int-1234" }, HOME).split("\n")[0]
    ).toBe("Failed to kill session ao-int-1234: Session not found")
    const ofIssue = { id: "ao-int-1234", projectId: "my-project", issueId: "INT-1234" }
    expect(errorText(new SessionStillRunning(ofIssue), { action: "restore session ao-int-1234" }, HOME).split("\n")).toEqual([
      "Cannot restore: Session is still running",
      "Kill the session first if you want to restart it:",
      "  ao session kill ao-int-1234",
      "  ao spawn my-project INT-1234  # Create fresh session"
    ])
    expect(
      errorText(new WorkspaceMissing({ ...ofIssue, path: `${HOME}/.worktrees/my-project-int-1234` }), {}, HOME).split("\n")
    ).toEqual([
      "Workspace missing: ~/.worktrees/my-project-int-1234",
      "The worktree was deleted. Create a new session:",
      "  ao spawn my-project INT-1234",
      "or rebuild it from its branch and latest snapshot:",
      "  ao session restore ao-int-1234 --recreate"
    ])
    // A numbered session has no issue to name: a fresh spawn is of the project alone.
    expect(errorText(new SessionStillRunning({ id: "mp-2", projectId: "my-project" }), {}, HOME)).toContain(
      "\n  ao spawn my-project  # Create fresh session"
    )
  })
})
