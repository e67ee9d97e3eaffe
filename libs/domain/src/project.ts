import { Option, Schema } from "effect"
import { SessionPrefix } from "./session-name"
import { ReactionSettingsInput } from "./watch/reaction-settings"

/** A project id is a key in agent-orchestrator.yaml and part of worktree paths. */
export const ProjectId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/, {
    message: () => "a project id is letters, digits, '.', '_' and '-', starting with a letter or digit"
  }),
  Schema.maxLength(64),
  Schema.brand("ProjectId")
)
export type ProjectId = typeof ProjectId.Type

/** `owner/name` of a GitHub repository. */
export const RepoSlug = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: () => "a repository is written owner/name" }),
  Schema.brand("RepoSlug")
)
export type RepoSlug = typeof RepoSlug.Type

/**
 * How to start an agent. Commands are argument vectors, never shell strings:
 * the prompt is passed as one more argument (after `promptFlag` when set), so
 * an issue title or prompt can never inject shell syntax.
 */
export class AgentSpec extends Schema.Class<AgentSpec>("AgentSpec")({
  name: Schema.NonEmptyTrimmedString,
  launch: Schema.NonEmptyArray(Schema.String),
  resume: Schema.NonEmptyArray(Schema.String),
  promptFlag: Schema.OptionFromNullOr(Schema.String)
}) {}

/** Where a project's issues live: GitHub Issues (numbered issues only), or nowhere ao can read. */
export const TrackerKind = Schema.Literal("github", "none")
export type TrackerKind = typeof TrackerKind.Type

/** Where a project's pull requests live (the code host), configured apart from the tracker. */
export const ScmKind = Schema.Literal("github", "none")
export type ScmKind = typeof ScmKind.Type

/** How long spawn waits, by default, before checking that the agent did not exit at once. */
export const DEFAULT_STARTUP_CHECK_SECONDS = 1

/** A project as configured, with every default applied and every path absolute. */
export class Project extends Schema.Class<Project>("Project")({
  id: ProjectId,
  name: Schema.NonEmptyTrimmedString,
  repo: Schema.OptionFromNullOr(RepoSlug),
  path: Schema.NonEmptyString,
  defaultBranch: Schema.NonEmptyTrimmedString,
  sessionPrefix: SessionPrefix,
  agent: AgentSpec,
  /** Other agents `ao spawn --agent` may pick, by name (the presets and any configured ones). */
  agents: Schema.Array(AgentSpec),
  worktreeDir: Schema.NonEmptyString,
  tracker: TrackerKind,
  scm: ScmKind,
  /** Seconds without pane activity after which a running agent shows as idle. */
  idleAfterSeconds: Schema.Int.pipe(Schema.positive()),
  /**
   * The template of the agent's first prompt for an issue (`prompt:`), with
   * where it came from (`inline` or the file's path); None: the built-in one.
   */
  taskTemplate: Schema.optionalWith(Schema.Struct({ source: Schema.String, text: Schema.String }), { as: "Option", nullable: true }).pipe(
    Schema.withConstructorDefault(() => Option.none<{ readonly source: string; readonly text: string }>())
  ),
  /** What `ao watch` does about this project's PRs and agents; defaults apply where absent. */
  reactions: Schema.optional(ReactionSettingsInput),
  /** Seconds spawn waits after starting the agent before it checks the agent still runs (0: check at once). */
  startupCheckSeconds: Schema.optionalWith(Schema.Number.pipe(Schema.nonNegative(), Schema.lessThanOrEqualTo(60)), {
    default: () => DEFAULT_STARTUP_CHECK_SECONDS
  })
}) {}
