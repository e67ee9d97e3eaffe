import { Schema } from "effect"

/**
 * The shape of agent-orchestrator.yaml as a person writes it: every setting
 * but a project's `path` is optional, and a YAML `key:` left empty (null)
 * counts as not set. The JSON Schema editors validate against is derived
 * from this (see agent-orchestrator.schema.json).
 */

/** `null` (an empty YAML value) is read as absent. */
const optional = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { exact: true, nullable: true })

const CommandLine = Schema.Union(Schema.String, Schema.NonEmptyArray(Schema.String)).annotations({
  description: 'A command: a string split into arguments by spaces and quotes (no shell), or a list of arguments',
  message: () => ({ message: 'expected a command line like "claude --continue" or a list of arguments', override: true })
})

const AgentFields = {
  launch: CommandLine.annotations({ description: "Starts the agent (the prompt is appended as one argument)" }),
  resume: CommandLine.annotations({ description: "Restarts the agent in an existing worktree, continuing its conversation" }),
  promptFlag: optional(
    Schema.String.annotations({ description: "The flag the prompt follows (e.g. --message); without it the prompt is a positional argument" })
  )
}

/** An agent under the top-level `agents`, named by its key. */
export const NamedAgentDefinition = Schema.Struct(AgentFields)

/** An agent written inline in a project. */
export const AgentDefinition = Schema.Struct({
  name: optional(Schema.NonEmptyTrimmedString.annotations({ description: "Its name for --agent (default: the command's name)" })),
  ...AgentFields
})

export const AgentChoice = Schema.Union(
  Schema.NonEmptyTrimmedString.annotations({ description: "A preset (claude, codex, aider) or an agent defined under `agents`" }),
  AgentDefinition
)

const Tracker = Schema.Literal("github", "none").annotations({
  description:
    "Where issues live (default: github when `repo` is set, otherwise none). github reads numbered GitHub issues (42); other ids (INT-1234) are then not tracked: no title, no issue state",
  message: () => ({ message: 'expected "github" or "none"', override: true })
})

const Scm = Schema.Literal("github", "none").annotations({
  description: "Where pull requests live, whatever the tracker (default: github when `repo` is set, otherwise none)",
  message: () => ({ message: 'expected "github" or "none"', override: true })
})

const IdleAfter = Schema.Int.pipe(Schema.positive()).annotations({
  description: "Seconds without output after which a running agent shows as idle (default 300)",
  message: () => ({ message: "expected a whole number of seconds greater than 0", override: true })
})

const StartupCheck = Schema.Number.pipe(Schema.nonNegative(), Schema.lessThanOrEqualTo(60)).annotations({
  description:
    "Seconds spawn waits after starting the agent before checking it still runs; an agent that exited by then is reported and the spawn rolled back (default 1, 0 checks at once)",
  message: () => ({ message: "expected a number of seconds from 0 to 60", override: true })
})

const WorktreeDir = Schema.NonEmptyString.annotations({
  description: "Where session worktrees are created; ~ and paths relative to this file are allowed (default ~/.worktrees)"
})

const DefaultBranch = Schema.NonEmptyTrimmedString.annotations({
  description: "The branch new session branches start from (default main)"
})

const PROJECT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/

export const PROJECT_ID_RULE = "a project id is letters, digits, '.', '_' and '-', starting with a letter or digit (at most 64)"

const ProjectKey = Schema.String.pipe(Schema.pattern(PROJECT_ID_PATTERN), Schema.maxLength(64)).annotations({
  description: PROJECT_ID_RULE
})

export const ProjectEntry = Schema.Struct({
  name: optional(Schema.NonEmptyTrimmedString.annotations({ description: "A display name (default: the project id)" })),
  repo: optional(
    Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/)).annotations({
      description: "The GitHub repository, owner/name",
      message: () => ({ message: "expected owner/name", override: true })
    })
  ),
  path: Schema.NonEmptyString.annotations({
    description: "The project's git repository; ~ and paths relative to this file are allowed",
    message: () => ({ message: "expected the path of the project's git repository", override: true })
  }),
  defaultBranch: optional(DefaultBranch),
  sessionPrefix: optional(
    Schema.String.pipe(Schema.pattern(/^[a-z0-9][a-z0-9-]*$/), Schema.maxLength(24)).annotations({
      description: "Session names start with it: {prefix}-{issue} (default: derived from the project id)",
      message: () => ({ message: "expected lower-case letters, digits and '-', starting with a letter or digit (at most 24)", override: true })
    })
  ),
  agent: optional(AgentChoice),
  worktreeDir: optional(WorktreeDir),
  tracker: optional(Tracker),
  scm: optional(Scm),
  idleAfter: optional(IdleAfter),
  startupCheck: optional(StartupCheck)
})
export type ProjectEntry = typeof ProjectEntry.Type

export const Defaults = Schema.Struct({
  defaultBranch: optional(DefaultBranch),
  agent: optional(AgentChoice),
  worktreeDir: optional(WorktreeDir),
  tracker: optional(Tracker),
  scm: optional(Scm),
  idleAfter: optional(IdleAfter),
  startupCheck: optional(StartupCheck)
}).annotations({ description: "Settings every project gets unless it sets its own" })
export type Defaults = typeof Defaults.Type

export const ConfigFile = Schema.Struct({
  projects: Schema.Record({ key: ProjectKey, value: ProjectEntry }).annotations({
    description: "The projects, keyed by project id",
    message: () => "expected the projects, keyed by project id"
  }),
  defaults: optional(Defaults),
  agents: optional(
    Schema.Record({ key: Schema.NonEmptyTrimmedString, value: NamedAgentDefinition }).annotations({
      description: "Agents beyond the presets, keyed by name; projects pick one with `agent: <name>`"
    })
  ),
  github: optional(
    Schema.Struct({
      apiUrl: optional(
        Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/)).annotations({
          description: "The GitHub API base URL (default https://api.github.com; set it for GitHub Enterprise)",
          message: () => ({ message: "expected an http(s) URL", override: true })
        })
      )
    })
  ),
  port: optional(
    Schema.Int.pipe(Schema.between(1, 65535)).annotations({
      description: "The HTTP API's port (default 3000)",
      message: () => ({ message: "expected a port number between 1 and 65535", override: true })
    })
  ),
  snapshot: optional(
    Schema.Struct({
      skip: optional(
        Schema.Array(Schema.NonEmptyTrimmedString).annotations({
          description:
            "Directory names never saved before a worktree is removed, at any depth: regenerable ones (default node_modules/, .venv/, target/, __pycache__/, .next/, .cache/)"
        })
      ),
      maxFileBytes: optional(
        Schema.Int.pipe(Schema.positive()).annotations({
          description: "Files larger than this are not saved; kill names them and refuses without --force (default 52428800, 50 MB)",
          message: () => ({ message: "expected a positive whole number of bytes", override: true })
        })
      )
    }).annotations({ description: "What is saved of a worktree's ignored files and nested repositories before it is removed" })
  )
}).annotations({
  title: "agent-orchestrator.yaml",
  description: "Configuration of ao, the orchestrator of parallel AI coding agents"
})
export type ConfigFile = typeof ConfigFile.Type
