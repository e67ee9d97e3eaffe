import { Effect, Option } from "effect"
import { InvalidInput } from "./errors"
import { type AgentCommand, AgentLauncher } from "./ports/agent-launcher"
import type { AgentSpec, Project } from "./project"

/** The project's default agent first, then the others it may pick, each name once. */
export const knownAgents = (project: Project): ReadonlyArray<AgentSpec> => {
  const byName = new Map<string, AgentSpec>([[project.agent.name, project.agent]])
  for (const agent of project.agents) if (!byName.has(agent.name)) byName.set(agent.name, agent)
  return [...byName.values()]
}

/** The agent called `name` among the project's agents; InvalidInput naming the known ones otherwise. */
export const findAgent = (project: Project, name: string): Effect.Effect<AgentSpec, InvalidInput> => {
  const agents = knownAgents(project)
  const found = agents.find((agent) => agent.name === name)
  return found !== undefined
    ? Effect.succeed(found)
    : Effect.fail(
        new InvalidInput({
          field: "agent",
          input: name,
          reason: `project ${project.id} knows the agents ${agents.map((agent) => agent.name).join(", ")}`
        })
      )
}

/**
 * The argv that starts an agent. The prompt is one argv element of its own
 * (after `promptFlag` when set), so no issue title can inject shell syntax.
 */
export const agentLaunchCommand = (
  project: Project,
  agentName: Option.Option<string>,
  prompt: Option.Option<string>
): Effect.Effect<AgentCommand, InvalidInput> =>
  Effect.map(
    Option.match(agentName, { onNone: () => Effect.succeed(project.agent), onSome: (name) => findAgent(project, name) }),
    (agent) => {
      const promptArgs = Option.match(
        Option.filter(prompt, (text) => text.trim().length > 0),
        {
          onNone: () => [],
          onSome: (text) => Option.match(agent.promptFlag, { onNone: () => [text], onSome: (flag) => [flag, text] })
        }
      )
      return { agent: agent.name, argv: [...agent.launch, ...promptArgs] }
    }
  )

/** The argv that resumes the agent a session was started with. */
export const agentResumeCommand = (project: Project, agentName: string): Effect.Effect<AgentCommand, InvalidInput> =>
  Effect.map(findAgent(project, agentName), (agent) => ({ agent: agent.name, argv: [...agent.resume] }))

/** An argv as one line for people to read: words with spaces or quotes shown quoted. */
export const displayCommand = (argv: ReadonlyArray<string>): string =>
  argv.map((word) => (/[\s"'\\$`]/.test(word) || word === "" ? JSON.stringify(word) : word)).join(" ")

/** The AgentLauncher port is this pure rule; adapters only provide it as a layer. */
export const agentLauncherFromSpecs = AgentLauncher.of({
  launch: ({ project, agent, prompt }) => agentLaunchCommand(project, agent, prompt),
  resume: ({ project, agent }) => agentResumeCommand(project, agent)
})
