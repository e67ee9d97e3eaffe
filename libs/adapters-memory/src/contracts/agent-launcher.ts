import { describe, expect, it } from "@effect/vitest"
import { AgentLauncher, AgentSpec, Project, ProjectId, SessionPrefix } from "@ao/domain"
import { Effect, type Layer, Option } from "effect"

const claude = new AgentSpec({
  name: "claude",
  launch: ["claude"],
  resume: ["claude", "--continue"],
  promptFlag: Option.none()
})
const aider = new AgentSpec({
  name: "aider",
  launch: ["aider", "--yes"],
  resume: ["aider", "--restore-chat-history"],
  promptFlag: Option.some("--message")
})

export const aProject = (overrides: Partial<ConstructorParameters<typeof Project>[0]> = {}): Project =>
  new Project({
    id: ProjectId.make("app"),
    name: "App",
    repo: Option.none(),
    path: "/repos/app",
    defaultBranch: "main",
    sessionPrefix: SessionPrefix.make("app"),
    agent: claude,
    agents: [claude, aider],
    worktreeDir: "/worktrees",
    tracker: "none",
    scm: "none",
    idleAfterSeconds: 300,
    ...overrides
  })

/** What every AgentLauncher must do: argv only, the prompt always one element of its own. */
export const agentLauncherContract = (name: string, layer: Layer.Layer<AgentLauncher>) =>
  describe(`AgentLauncher contract: ${name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, AgentLauncher>) => Effect.provide(effect, layer)
    const hostile = `Fix "quotes"; rm -rf ~ && $(whoami) \`id\` | cat`

    it.effect("launches the project's agent with the prompt as one argument", () =>
      run(
        Effect.gen(function* () {
          const launcher = yield* AgentLauncher
          const command = yield* launcher.launch({ project: aProject(), agent: Option.none(), prompt: Option.some(hostile) })
          expect(command).toEqual({ agent: "claude", argv: ["claude", hostile] })
          const bare = yield* launcher.launch({ project: aProject(), agent: Option.none(), prompt: Option.none() })
          expect(bare.argv).toEqual(["claude"])
        })
      )
    )

    it.effect("an override by name puts the prompt after the agent's prompt flag", () =>
      run(
        Effect.gen(function* () {
          const launcher = yield* AgentLauncher
          const command = yield* launcher.launch({
            project: aProject(),
            agent: Option.some("aider"),
            prompt: Option.some(hostile)
          })
          expect(command).toEqual({ agent: "aider", argv: ["aider", "--yes", "--message", hostile] })
        })
      )
    )

    it.effect("resume uses the named agent's resume command", () =>
      run(
        Effect.gen(function* () {
          const launcher = yield* AgentLauncher
          expect((yield* launcher.resume({ project: aProject(), agent: "aider" })).argv).toEqual([
            "aider",
            "--restore-chat-history"
          ])
          expect((yield* launcher.resume({ project: aProject(), agent: "claude" })).argv).toEqual(["claude", "--continue"])
        })
      )
    )

    it.effect("an unknown agent is InvalidInput naming it and the known ones", () =>
      run(
        Effect.gen(function* () {
          const launcher = yield* AgentLauncher
          const launchFailure = yield* Effect.flip(
            launcher.launch({ project: aProject(), agent: Option.some("cursor"), prompt: Option.none() })
          )
          expect(launchFailure._tag).toBe("InvalidInput")
          expect(launchFailure.message).toContain("cursor")
          expect(launchFailure).toMatchObject({ reason: expect.stringContaining("claude, aider") })
          const resumeFailure = yield* Effect.flip(launcher.resume({ project: aProject(), agent: "codex" }))
          expect(resumeFailure).toMatchObject({ _tag: "InvalidInput", input: "codex" })
        })
      )
    )
  })
