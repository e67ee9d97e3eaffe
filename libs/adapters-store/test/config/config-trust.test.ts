import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { aProject } from "@ao/adapters-memory/contracts/agent-launcher"
import { AgentLauncher } from "@ao/domain"
import { Effect, Layer, Option } from "effect"
import { makeAgentLauncherLayer } from "../../src/agent-launcher"
import { AoConfig, type ConfigSource } from "../../src/config/config-layer"
import { isTrusted, recordTrust, trustStorePath } from "../../src/config/config-trust"
import { tempDir } from "../temp-dir"
import { DEFAULT_SNAPSHOT_MAX_FILE_BYTES, DEFAULT_SNAPSHOT_SKIP } from "../../src/config/config-decoding"

const repoConfig: ConfigSource = { path: "/repos/app/agent-orchestrator.yaml", sha256: "a".repeat(64), own: false }

/** The launcher over a config whose only project comes from `source`. */
const launcherFrom = (dataDir: string, source: ConfigSource) =>
  makeAgentLauncherLayer({ dataDir }).pipe(
    Layer.provide(
      Layer.succeed(AoConfig, {
        source: source.path,
        projects: [aProject()],
        github: { apiUrl: "https://api.github.com" },
        port: 3000,
        snapshot: { skip: DEFAULT_SNAPSHOT_SKIP, maxFileBytes: DEFAULT_SNAPSHOT_MAX_FILE_BYTES },
        sources: [source],
        sourceOf: (id) => (id === "app" ? source : undefined)
      })
    )
  )

const launchAndResume = Effect.gen(function* () {
  const launcher = yield* AgentLauncher
  const launched = yield* Effect.either(launcher.launch({ project: aProject(), agent: Option.none(), prompt: Option.some("a secret prompt") }))
  const resumed = yield* Effect.either(launcher.resume({ project: aProject(), agent: "aider" }))
  return { launched, resumed }
})

describe("trusted configs", () => {
  it.scoped("a repository config's commands are refused until it is trusted with this content, naming the file and the command", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      const refused = yield* Effect.provide(launchAndResume, launcherFrom(dataDir, repoConfig))
      expect(refused.launched).toMatchObject({
        _tag: "Left",
        left: { _tag: "ConfigUntrusted", path: repoConfig.path, commands: ["claude"] }
      })
      expect(refused.resumed).toMatchObject({ _tag: "Left", left: { _tag: "ConfigUntrusted", commands: ["aider --restore-chat-history"] } })
      if (refused.launched._tag === "Left") {
        expect(refused.launched.left.message).not.toContain("a secret prompt")
        expect(refused.launched.left).toMatchObject({ hint: `Review the file, then run: ao trust ${repoConfig.path}` })
      }

      yield* recordTrust(dataDir, repoConfig)
      const allowed = yield* Effect.provide(launchAndResume, launcherFrom(dataDir, repoConfig))
      expect(allowed.launched).toMatchObject({ _tag: "Right", right: { argv: ["claude", "a secret prompt"] } })
      expect(allowed.resumed).toMatchObject({ _tag: "Right", right: { argv: ["aider", "--restore-chat-history"] } })

      const edited = { ...repoConfig, sha256: "b".repeat(64) }
      const again = yield* Effect.provide(launchAndResume, launcherFrom(dataDir, edited))
      expect(again.launched).toMatchObject({ _tag: "Left", left: { _tag: "ConfigUntrusted" } })
    })
  )

  it.scoped("the user's own config never needs trust; a damaged trust store trusts nothing and the next trust rewrites it", () =>
    Effect.gen(function* () {
      const dataDir = yield* tempDir
      const own = yield* Effect.provide(launchAndResume, launcherFrom(dataDir, { ...repoConfig, own: true }))
      expect(own.launched._tag).toBe("Right")
      yield* Effect.promise(() => writeFile(trustStorePath(dataDir), "{ not json"))
      expect(yield* isTrusted(dataDir, repoConfig)).toBe(false)
      yield* recordTrust(dataDir, repoConfig)
      expect(yield* isTrusted(dataDir, repoConfig)).toBe(true)
      expect(yield* isTrusted(dataDir, { ...repoConfig, path: join("/elsewhere", "agent-orchestrator.yaml") })).toBe(false)
    })
  )
})
