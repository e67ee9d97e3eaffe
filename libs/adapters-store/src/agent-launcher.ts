import { type AgentCommand, AgentLauncher, agentLauncherFromSpecs, ConfigUntrusted, displayCommand, knownAgents, type Project } from "@ao/domain"
import { Effect, Layer } from "effect"
import { AoConfig } from "./config/config-layer"
import { isTrusted } from "./config/config-trust"

/**
 * Launch and resume argv from the project's agent specs (a pure domain
 * rule), given out only when the config file that defines the project is the
 * user's own, or one they trusted (`ao trust`) with its current content; ConfigUntrusted otherwise,
 * before anything was started.
 */
export const makeAgentLauncherLayer = (options: { readonly dataDir: string }): Layer.Layer<AgentLauncher, never, AoConfig> =>
  Layer.effect(
    AgentLauncher,
    Effect.map(AoConfig, (config) => {
      const trusted = (project: Project, shown: ReadonlyArray<string>) => (command: AgentCommand) =>
        Effect.gen(function* () {
          const source = config.sourceOf(project.id)
          if (source === undefined || source.own || (yield* isTrusted(options.dataDir, source))) return command
          return yield* new ConfigUntrusted({ path: source.path, commands: [displayCommand(shown)] })
        })
      return AgentLauncher.of({
        launch: (request) =>
          Effect.flatMap(agentLauncherFromSpecs.launch(request), (command) =>
            // The prompt is the user's own text: the error shows only what the file supplies.
            trusted(request.project, command.argv.slice(0, launchLength(request.project, command.agent)))(command)
          ),
        resume: (request) =>
          Effect.flatMap(agentLauncherFromSpecs.resume(request), (command) => trusted(request.project, command.argv)(command))
      })
    })
  )

const launchLength = (project: Project, agent: string): number =>
  knownAgents(project).find((spec) => spec.name === agent)?.launch.length ?? 0
