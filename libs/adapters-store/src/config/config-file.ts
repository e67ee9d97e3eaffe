import { ReactionKind, ReactionSettingsInput } from "@ao/domain"
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

const TaskPrompt = Schema.Union(
  Schema.String.annotations({ description: "The template itself, inline" }),
  Schema.Struct({
    file: Schema.NonEmptyString.annotations({ description: "A template file; ~ and paths relative to this file are allowed" })
  })
).annotations({
  description:
    "The template of an agent's first prompt when spawned for an issue: inline text, or { file: path }. Placeholders such as {{issue.title}} and {{issue.body}} are listed in the adapters-store README (default: a built-in template)"
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

const RuntimeKind = Schema.Literal("tmux", "docker").annotations({
  description: "Where the project's agents run: tmux on this machine (default), or docker: each session's agent in a container of its own (configure it under `docker`)",
  message: () => ({ message: 'expected "tmux" or "docker"', override: true })
})

const MEMORY_PATTERN = /^[1-9][0-9]*[kmgKMG]?$/

/** How a docker project's containers are made; only read with `runtime: docker`. */
export const DockerBlock = Schema.Struct({
  image: Schema.NonEmptyTrimmedString.annotations({
    description: "The image each session's container is made from; it must already be on the engine (ao never pulls)"
  }),
  engine: optional(
    Schema.String.pipe(Schema.pattern(/^(unix|tcp|https):\/\/\S+$/)).annotations({
      description: "The Docker engine: unix:///path/to/docker.sock or tcp://host:port (default $DOCKER_HOST, else unix:///var/run/docker.sock)",
      message: () => ({ message: "expected unix:///path/to/docker.sock or tcp://host:port", override: true })
    })
  ),
  mounts: optional(
    Schema.Array(
      Schema.String.pipe(Schema.pattern(/^[^:]+:\/[^:]*(:(ro|rw))?$/)).annotations({
        description: "host-path:container-path[:ro|rw]; ~ and paths relative to this file are allowed on the host side",
        message: () => ({ message: "expected host-path:/container/path, optionally followed by :ro or :rw", override: true })
      })
    ).annotations({ description: "Host paths the container also sees (besides the worktree and the repository's .git); nothing else of the host is mounted" })
  ),
  env: optional(Schema.Record({ key: Schema.String.pipe(Schema.pattern(/^[A-Za-z_][A-Za-z0-9_]*$/)), value: Schema.String }).annotations({
    description: "Environment of the container (HOME is /tmp unless set here)"
  })),
  cpus: optional(
    Schema.Number.pipe(Schema.positive()).annotations({
      description: "CPUs the container may use, e.g. 1.5",
      message: () => ({ message: "expected a positive number of CPUs", override: true })
    })
  ),
  memory: optional(
    Schema.Union(Schema.Int.pipe(Schema.positive()), Schema.String.pipe(Schema.pattern(MEMORY_PATTERN))).annotations({
      description: "Memory limit: bytes, or a number with k, m or g (e.g. 4g)",
      message: () => ({ message: "expected bytes or a size like 512m or 4g", override: true })
    })
  ),
  network: optional(
    Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/)).annotations({
      description: "The container's network mode: bridge, none, host, or a network's name (default: the engine's default)",
      message: () => ({ message: "expected a network mode such as bridge, none or host", override: true })
    })
  ),
  workspace: optional(
    Schema.Literal("mount", "clone").annotations({
      description:
        "Where the session's files live: mount (default) binds the local worktree, for an engine on this machine; clone gives each session a volume holding a clone, for a remote engine (its work is brought back on kill)",
      message: () => ({ message: 'expected "mount" or "clone"', override: true })
    })
  )
}).annotations({ description: "The containers of a project with `runtime: docker`" })
export type DockerBlock = typeof DockerBlock.Type

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
  prompt: optional(TaskPrompt),
  runtime: optional(RuntimeKind),
  docker: optional(DockerBlock),
  reactions: optional(
    ReactionSettingsInput.annotations({
      description:
        "What `ao watch` does for this project: per kind (ci-failed, changes-requested, review-comment, merge-conflicts, approved-and-green, agent-waiting, agent-idle, agent-exited, pr-merged) { enabled, action: send|notify|both, message, retries, escalateAfter, afterSeconds }, plus autoMerge: squash|merge|rebase and autoCleanup: true"
    })
  ),
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
  prompt: optional(TaskPrompt),
  startupCheck: optional(StartupCheck)
}).annotations({ description: "Settings every project gets unless it sets its own" })
export type Defaults = typeof Defaults.Type

const Retries = Schema.Int.pipe(Schema.between(0, 10)).annotations({
  description: "Further attempts after a failed delivery, with a doubling pause (default 2)",
  message: () => ({ message: "expected a whole number from 0 to 10", override: true })
})

const Kinds = Schema.Array(ReactionKind).annotations({ description: "Only these reaction kinds (default: all)" })

export const NotifierEntry = Schema.Union(
  Schema.Struct({
    type: Schema.Literal("webhook"),
    url: Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/)).annotations({
      description: "Where the event is POSTed as JSON",
      message: () => ({ message: "expected an http(s) URL", override: true })
    }),
    secretEnv: optional(
      Schema.String.pipe(Schema.pattern(/^[A-Za-z_][A-Za-z0-9_]*$/)).annotations({
        description: "The environment variable holding the HMAC-SHA256 key; the body's signature goes in X-Ao-Signature-256: sha256=<hex>"
      })
    ),
    format: optional(
      Schema.Literal("json", "slack", "discord").annotations({ description: "The payload: ao's event (json, default), or Slack's or Discord's message shape" })
    ),
    retries: optional(Retries),
    kinds: optional(Kinds)
  }),
  Schema.Struct({
    type: Schema.Literal("command"),
    command: CommandLine.annotations({ description: "Runs with the event JSON on stdin (no shell); a repository's config must be trusted (ao trust)" }),
    retries: optional(Retries),
    kinds: optional(Kinds)
  }),
  Schema.Struct({
    type: Schema.Literal("desktop"),
    kinds: optional(Kinds)
  })
).annotations({ description: "A way to tell a person: webhook, command or desktop" })
export type NotifierEntry = typeof NotifierEntry.Type

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
      ),
      watchRequestsPerMinute: optional(
        Schema.Int.pipe(Schema.between(1, 1000)).annotations({
          description: "The most GitHub requests `ao watch` starts per minute, retries included (default 60); one more waits",
          message: () => ({ message: "expected a whole number of requests between 1 and 1000", override: true })
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
  notifiers: optional(
    Schema.Array(NotifierEntry).annotations({ description: "How `ao watch` tells people (default: desktop)" })
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
