import { ActivityLog, listSessions, restoreSession, Runtime, sessionStatus, spawnSession } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Option, TestClock } from "effect"
import { MemoryAgentHooksControl } from "../../src/agent-hooks"
import { MemoryTranscriptsControl } from "../../src/transcripts"
import { inWorld, spawnForIssue } from "./world-fixture"

const report = (state: "working" | "waiting" | "idle", event: string, detail?: string) =>
  Effect.map(DateTime.now, (at) => ({ at, state, event, ...(detail === undefined ? {} : { detail }) }))

describe("agent state in the use cases", () => {
  it.effect("spawn installs the agent's hooks in the worktree before the agent starts; an agent without hooks gets none", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnSession({ projectId: "agent-orchestrator", agent: "codex" })
      const installed = yield* Effect.flatMap(MemoryAgentHooksControl, (control) => control.installed)
      expect(installed).toEqual([{ workspacePath: "/worktrees/agent-orchestrator-int-1", file: ".claude/settings.local.json" }])
    }).pipe(inWorld())
  )

  it.effect("restore installs them again (the worktree may have been recreated)", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(Runtime, (runtime) => runtime.kill("ao-int-1"))
      yield* restoreSession("ao-int-1", { recreate: false })
      const installed = yield* Effect.flatMap(MemoryAgentHooksControl, (control) => control.installed)
      expect(installed.map((entry) => entry.workspacePath)).toEqual([
        "/worktrees/agent-orchestrator-int-1",
        "/worktrees/agent-orchestrator-int-1"
      ])
    }).pipe(inWorld())
  )

  it.effect("ls and status show what the hooks said; status --waiting keeps only the sessions needing a person", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      yield* TestClock.adjust(Duration.seconds(10))
      const log = yield* ActivityLog
      yield* log.append("ao-int-1", yield* report("working", "PreToolUse", "Bash"))
      yield* log.append("ao-int-1", yield* report("waiting", "Notification", "Claude needs your permission to use Bash"))
      yield* log.append("ao-int-2", yield* report("idle", "Stop"))
      const listing = yield* listSessions({ includeEnded: false })
      expect(listing.sessions.map((view) => [view.session.id, view.activity.state, view.activity.source, Option.getOrNull(view.activity.detail)])).toEqual([
        ["ao-int-1", "waiting", "hook", "Claude needs your permission to use Bash"],
        ["ao-int-2", "idle", "hook", null]
      ])
      const waiting = yield* sessionStatus({ waiting: true })
      expect(waiting.rows.map((row) => row.session.id)).toEqual(["ao-int-1"])
    }).pipe(inWorld())
  )

  it.effect("status carries the agent's last message from the transcript its latest hook named; none without one, none from an earlier agent's", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* spawnForIssue("INT-2")
      const transcripts = yield* MemoryTranscriptsControl
      yield* transcripts.write("/t/old.jsonl", [{ role: "assistant", text: "From before the restore." }])
      yield* transcripts.write("/t/new.jsonl", [
        { role: "user", text: "fix it" },
        { role: "assistant", text: "Fixed it.\nAll tests pass." }
      ])
      const log = yield* ActivityLog
      yield* TestClock.adjust(Duration.seconds(1))
      yield* log.append("ao-int-1", { ...(yield* report("working", "PreToolUse", "Bash")), transcript: "/t/old.jsonl" })
      yield* log.append("ao-int-1", { ...(yield* report("idle", "Stop")), transcript: "/t/new.jsonl" })
      yield* log.append("ao-int-2", yield* report("idle", "Stop"))
      const summaries = Effect.map(sessionStatus({}), (status) => status.rows.map((row) => [row.session.id, Option.getOrNull(row.summary)]))
      expect(yield* summaries).toEqual([
        ["ao-int-1", "Fixed it. All tests pass."],
        ["ao-int-2", null]
      ])
      // After a restore, the new agent has named no transcript yet: the old one's words are not shown as its own.
      yield* Effect.flatMap(Runtime, (runtime) => runtime.kill("ao-int-1"))
      yield* TestClock.adjust(Duration.seconds(1))
      yield* restoreSession("ao-int-1", { recreate: false })
      expect(yield* summaries).toEqual([
        ["ao-int-1", null],
        ["ao-int-2", null]
      ])
    }).pipe(inWorld())
  )

  it.effect("a lost Stop: working from the hook until idleAfter passes quietly, then idle from the screen", () =>
    Effect.gen(function* () {
      yield* spawnForIssue("INT-1")
      yield* Effect.flatMap(ActivityLog, (log) => Effect.flatMap(report("working", "UserPromptSubmit"), (line) => log.append("ao-int-1", line)))
      const shown = Effect.map(listSessions({ includeEnded: false }), (listing) => listing.sessions[0]?.activity)
      expect(yield* shown).toMatchObject({ state: "working", source: "hook" })
      yield* TestClock.adjust(Duration.sum(Duration.seconds(300), Duration.millis(1)))
      expect(yield* shown).toMatchObject({ state: "idle", source: "screen" })
    }).pipe(inWorld())
  )
})
