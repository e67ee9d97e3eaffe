import { Option, Schema } from "effect"

/**
 * What the watcher reacts to. PR kinds come from the code host, agent kinds
 * from the session's activity state.
 */
export const ReactionKind = Schema.Literal(
  "ci-failed",
  "changes-requested",
  "review-comment",
  "merge-conflicts",
  "approved-and-green",
  "agent-waiting",
  "agent-idle",
  "agent-exited",
  "pr-merged",
  "issue-closed"
)
export type ReactionKind = typeof ReactionKind.Type
export const REACTION_KINDS: ReadonlyArray<ReactionKind> = ReactionKind.literals

/** send: text to the agent; notify: tell a person; both. */
export const ReactionAction = Schema.Literal("send", "notify", "both")
export type ReactionAction = typeof ReactionAction.Type

export const MergeMethod = Schema.Literal("squash", "merge", "rebase")
export type MergeMethod = typeof MergeMethod.Type

/** One reaction as configured, every default applied. */
export interface ReactionRule {
  readonly enabled: boolean
  readonly action: ReactionAction
  /** `{{session}}`, `{{pr}}`, `{{details}}` … are filled in; absent: the built-in text. */
  readonly message: Option.Option<string>
  /** Further attempts after a failed delivery. */
  readonly retries: number
  /** After this many reactions of the kind for one session, stop sending and tell a person. */
  readonly escalateAfter: Option.Option<number>
  /** agent-waiting and agent-idle: how long the state must last first. */
  readonly afterSeconds: number
}

export interface ReactionSettings {
  readonly rules: Readonly<Record<ReactionKind, ReactionRule>>
  /** Merge an approved, green PR this way; absent: only notify. */
  readonly autoMerge: Option.Option<MergeMethod>
  /** Clean up (with every safety of `session kill`) when the PR is merged or the issue closed. */
  readonly autoCleanup: boolean
}

const rule = (action: ReactionAction, overrides: Partial<ReactionRule> = {}): ReactionRule => ({
  enabled: true,
  action,
  message: Option.none(),
  retries: 2,
  escalateAfter: Option.none(),
  afterSeconds: 0,
  ...overrides
})

/** What a project gets without a `reactions:` section. */
export const DEFAULT_REACTION_SETTINGS: ReactionSettings = {
  rules: {
    "ci-failed": rule("send", { escalateAfter: Option.some(3) }),
    "changes-requested": rule("send", { escalateAfter: Option.some(5) }),
    "review-comment": rule("send"),
    "merge-conflicts": rule("send", { escalateAfter: Option.some(3) }),
    "approved-and-green": rule("notify"),
    "agent-waiting": rule("notify", { afterSeconds: 120 }),
    "agent-idle": rule("notify", { afterSeconds: 30 * 60 }),
    "agent-exited": rule("notify"),
    "pr-merged": rule("notify"),
    "issue-closed": rule("notify")
  },
  autoMerge: Option.none(),
  autoCleanup: false
}

/** The YAML shape of one reaction; every field optional, defaults from the kind. */
export const ReactionRuleInput = Schema.Struct({
  enabled: Schema.optional(Schema.Boolean),
  action: Schema.optional(ReactionAction),
  message: Schema.optional(Schema.String),
  retries: Schema.optional(Schema.Int.pipe(Schema.between(0, 10))),
  escalateAfter: Schema.optional(Schema.Int.pipe(Schema.between(1, 100))),
  afterSeconds: Schema.optional(Schema.Int.pipe(Schema.between(0, 7 * 24 * 3600)))
})
export type ReactionRuleInput = typeof ReactionRuleInput.Type

/** The YAML `reactions:` section of a project. */
export const ReactionSettingsInput = Schema.Struct({
  autoMerge: Schema.optional(MergeMethod),
  autoCleanup: Schema.optional(Schema.Boolean),
  ...Object.fromEntries(REACTION_KINDS.map((kind) => [kind, Schema.optional(ReactionRuleInput)]))
} as { autoMerge: Schema.optional<typeof MergeMethod>; autoCleanup: Schema.optional<typeof Schema.Boolean> } & {
  [K in ReactionKind]: Schema.optional<typeof ReactionRuleInput>
})
export type ReactionSettingsInput = typeof ReactionSettingsInput.Type

/** Defaults filled in under what the project configured. */
export const reactionSettingsFrom = (input: ReactionSettingsInput | undefined): ReactionSettings => {
  if (input === undefined) return DEFAULT_REACTION_SETTINGS
  const rules = Object.fromEntries(
    REACTION_KINDS.map((kind) => {
      const base = DEFAULT_REACTION_SETTINGS.rules[kind]
      const given = input[kind]
      if (given === undefined) return [kind, base]
      const merged: ReactionRule = {
        enabled: given.enabled ?? base.enabled,
        action: given.action ?? base.action,
        message: given.message === undefined ? base.message : Option.some(given.message),
        retries: given.retries ?? base.retries,
        escalateAfter: given.escalateAfter === undefined ? base.escalateAfter : Option.some(given.escalateAfter),
        afterSeconds: given.afterSeconds ?? base.afterSeconds
      }
      return [kind, merged]
    })
  ) as Record<ReactionKind, ReactionRule>
  return {
    rules,
    autoMerge: Option.fromNullable(input.autoMerge),
    autoCleanup: input.autoCleanup ?? false
  }
}
