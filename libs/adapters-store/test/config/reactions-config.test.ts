import { describe, expect, it } from "@effect/vitest"
import { reactionSettingsFrom } from "@ao/domain"
import { Either, Option } from "effect"
import { decodeConfig } from "../../src/config/config-decoding"

const decode = (text: string) => decodeConfig({ path: "/home/me/repo/agent-orchestrator.yaml", text, homeDir: "/home/me" })

describe("reactions and notifiers in agent-orchestrator.yaml", () => {
  it("a project's reactions: section and the notifiers are read, defaults filled in", () => {
    const config = decode(`
projects:
  app:
    path: .
    repo: owner/app
    reactions:
      autoMerge: squash
      autoCleanup: true
      ci-failed: { action: both, escalateAfter: 2, message: "Fix {{pr}}" }
      agent-waiting: { enabled: false }
notifiers:
  - { type: webhook, url: "https://hooks.example/ao", secretEnv: AO_HOOK_SECRET, format: slack }
  - { type: command, command: "notify-me --json" }
  - { type: desktop, kinds: [pr-merged] }
`)
    if (Either.isLeft(config)) throw new Error(config.left.message)
    const settings = reactionSettingsFrom(config.right.projects[0]?.reactions)
    expect(settings.autoMerge).toEqual(Option.some("squash"))
    expect(settings.autoCleanup).toBe(true)
    expect(settings.rules["ci-failed"]).toMatchObject({ action: "both", escalateAfter: Option.some(2), message: Option.some("Fix {{pr}}"), retries: 2 })
    expect(settings.rules["agent-waiting"].enabled).toBe(false)
    expect(settings.rules["pr-merged"].action).toBe("notify")
    expect(config.right.notifiers?.map((entry) => entry.type)).toEqual(["webhook", "command", "desktop"])
  })

  it("a wrong action or notifier names the field and its line", () => {
    const config = decode(`
projects:
  app:
    path: .
    reactions:
      ci-failed: { action: shout }
`)
    expect(Either.isLeft(config) && config.left.problem).toMatch(/projects\.app\.reactions\.ci-failed\.action \(line 6\)/)
    const notifier = decode(`
projects:
  app: { path: . }
notifiers:
  - { type: pager }
`)
    expect(Either.isLeft(notifier) && notifier.left.problem).toMatch(/notifiers/)
  })
})
