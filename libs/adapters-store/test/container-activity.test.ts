import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import { CONTAINER_HOOK_LOG, containerActivityDir } from "../src/activity/activity-file"
import { makeActivityLog } from "../src/activity/activity-log"

const cleanup: Array<string> = []
afterAll(() => Promise.all(cleanup.map((dir) => rm(dir, { recursive: true, force: true }))))
const freshDataDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "ao-container-activity-"))
  cleanup.push(dir)
  return dir
}

const raw = (at: string, event: string, payload: unknown) => `${JSON.stringify({ at, agent: "claude", event, payload })}\n`

describe("the activity of an agent in a container", () => {
  it.effect("reads its raw hook lines with the agent's adapter, merged with the session's own log by time", () =>
    Effect.gen(function* () {
      const dataDir = yield* Effect.promise(freshDataDir)
      const log = makeActivityLog({ dataDir })
      const dir = containerActivityDir(dataDir, "demo-1") as string
      yield* Effect.promise(() => mkdir(dir, { recursive: true }))
      yield* log.append("demo-1", { at: DateTime.unsafeMake("2026-01-01T10:00:01.500Z"), state: "idle", event: "SessionStart" })
      yield* Effect.promise(() =>
        writeFile(
          join(dir, CONTAINER_HOOK_LOG),
          raw("2026-01-01T10:00:00Z", "UserPromptSubmit", { prompt: "go" }) +
            "not json at all\n" +
            raw("2026-01-01T10:00:02Z", "Notification", { notification_type: "permission_prompt", message: "Claude needs your permission to use Bash" }) +
            raw("2026-01-01T10:00:03Z", "Unheard", null)
        )
      )
      const reports = yield* log.recent("demo-1")
      expect(reports.map((report) => [DateTime.formatIso(report.at), report.state, report.event, report.detail])).toEqual([
        ["2026-01-01T10:00:00.000Z", "working", "UserPromptSubmit", undefined],
        ["2026-01-01T10:00:01.500Z", "idle", "SessionStart", undefined],
        ["2026-01-01T10:00:02.000Z", "waiting", "Notification", "Claude needs your permission to use Bash"]
      ])
      expect(reports[0]?.submitted).toBe(true)
      // Another session sees none of it.
      expect(yield* log.recent("demo-2")).toEqual([])
    }))

  it.effect("never follows a link the container put in place of its log", () =>
    Effect.gen(function* () {
      const dataDir = yield* Effect.promise(freshDataDir)
      const dir = containerActivityDir(dataDir, "demo-1") as string
      const elsewhere = join(dataDir, "elsewhere.jsonl")
      yield* Effect.promise(async () => {
        await mkdir(dir, { recursive: true })
        await writeFile(elsewhere, raw("2026-01-01T10:00:00Z", "Stop", {}))
        await symlink(elsewhere, join(dir, CONTAINER_HOOK_LOG))
      })
      expect(yield* makeActivityLog({ dataDir }).recent("demo-1")).toEqual([])
    }))
})
