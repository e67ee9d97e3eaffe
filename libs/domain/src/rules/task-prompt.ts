import { Option } from "effect"
import type { IssueDetails } from "../ports/tracker"
import type { TaskSource } from "../task"

/**
 * The agent's first prompt, rendered from its issue through a template. A
 * pure rule: spawn fetches the issue, this says what the agent is told, and
 * how (as an argument, or in a file when it is too long for one).
 */

/** The built-in template: the issue, the branch, commit and push, a PR that references the issue, ask when blocked. */
export const DEFAULT_TASK_TEMPLATE = `Your task is issue {{issue.id}}: {{issue.title}}
{{issue.url}}
Labels: {{issue.labels}}

{{issue.body}}

Latest comments on the issue:
{{issue.comments}}

You work in your own git worktree on the branch {{branch}} (from {{baseBranch}}).
Commit your work as you go and push the branch. When the work is done, open a pull request from {{branch}} that references issue {{issue.id}} ({{issue.url}}).
If you are blocked or unsure what is wanted, stop and ask instead of guessing.`

/** Every placeholder a template may use, with what it becomes (documented in the adapters-store README). */
export const TASK_PLACEHOLDERS = {
  "issue.id": "the issue's id (42, INT-1234)",
  "issue.title": "the issue's title",
  "issue.url": "the issue's web address",
  "issue.body": "the issue's text",
  "issue.labels": "the labels, comma-separated, or none",
  "issue.comments": "the latest comments, each as `author (date): text`, or none",
  branch: "the session's branch",
  baseBranch: "the branch the worktree started from",
  session: "the session's name (ao-42)",
  project: "the project id"
} as const
export type TaskPlaceholder = keyof typeof TASK_PLACEHOLDERS

/** How many of an issue's latest comments the prompt carries. */
export const TASK_COMMENT_LIMIT = 10

/**
 * Past this many bytes a prompt does not go as an argument (argv and tmux
 * carry far more, but not without limit, and a 200 KB argument is a hazard
 * in `ps` and in the agent's own command line); it goes whole into a file.
 */
export const PROMPT_ARGUMENT_LIMIT = 8 * 1024

/** The file in the worktree (kept out of git) that holds a prompt too long for an argument. */
export const TASK_FILE = ".ao-task.md"

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z.]*)\s*\}\}/g

const isPlaceholder = (name: string): name is TaskPlaceholder => Object.hasOwn(TASK_PLACEHOLDERS, name)

/** The placeholders a template names that do not exist (a config mistake, said with the file and line). */
export const unknownPlaceholders = (template: string): ReadonlyArray<string> =>
  [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ""))].filter((name) => !isPlaceholder(name))

/**
 * Control characters other than newline and tab are dropped from text that
 * came from outside (an issue): a NUL cannot reach an argv, and no escape
 * sequence reaches the agent's terminal.
 */
const printable = (text: string): string => text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "")

/**
 * One pass over the template: a value is never searched for placeholders
 * again, so an issue body holding `{{branch}}` stays as written.
 */
export const renderTemplate = (template: string, values: Readonly<Record<TaskPlaceholder, string>>): string =>
  template.replace(PLACEHOLDER, (whole, name: string) => (isPlaceholder(name) ? values[name] : whole))

export interface TaskPromptInput {
  readonly issueId: string
  /** None when the tracker could not tell (no tracker for such ids, or it was unavailable). */
  readonly issue: Option.Option<IssueDetails>
  readonly branch: string
  readonly baseBranch: string
  readonly session: string
  readonly project: string
  /** The project's template (`prompt:`) with where it came from; None for the built-in one. */
  readonly template: Option.Option<{ readonly source: string; readonly text: string }>
}

const commentLines = (issue: IssueDetails): string =>
  issue.comments.length === 0
    ? "none"
    : issue.comments.map((comment) => `${comment.author} (${comment.createdAt}): ${comment.body}`).join("\n\n")

/** The issue part of the prompt: the template with the issue's fields filled in. */
export const renderIssuePrompt = (input: TaskPromptInput): string => {
  const issue = Option.getOrUndefined(input.issue)
  const values: Record<TaskPlaceholder, string> = {
    "issue.id": input.issueId,
    "issue.title": issue?.title ?? "(the tracker did not give its title)",
    "issue.url": issue?.url ?? "(no address known)",
    "issue.body": issue === undefined ? "(the tracker did not give its text)" : issue.body.trim() === "" ? "(no description)" : issue.body,
    "issue.labels": issue === undefined || issue.labels.length === 0 ? "none" : issue.labels.join(", "),
    "issue.comments": issue === undefined ? "none" : commentLines(issue),
    branch: input.branch,
    baseBranch: input.baseBranch,
    session: input.session,
    project: input.project
  }
  const sanitized = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, printable(value)])) as Record<TaskPlaceholder, string>
  return renderTemplate(Option.match(input.template, { onNone: () => DEFAULT_TASK_TEMPLATE, onSome: (template) => template.text }), sanitized)
}

/** How the prompt reaches the agent: as its argument, or whole in TASK_FILE with a short argument pointing there. */
export type PromptDelivery =
  | { readonly _tag: "Argument"; readonly text: string }
  | { readonly _tag: "File"; readonly file: string; readonly text: string; readonly argument: string }

const utf8Length = (text: string): number => new TextEncoder().encode(text).length

export const promptDelivery = (prompt: string): PromptDelivery =>
  utf8Length(prompt) <= PROMPT_ARGUMENT_LIMIT
    ? { _tag: "Argument", text: prompt }
    : {
        _tag: "File",
        file: TASK_FILE,
        text: prompt,
        argument: `Your task is too long to pass here. Read the file ${TASK_FILE} in your working directory (the root of your worktree) in full, and do what it says.`
      }

export interface TaskPlan {
  /** What the agent is given; None when it starts with no prompt. */
  readonly delivery: Option.Option<PromptDelivery>
  readonly source: Option.Option<TaskSource>
}

/**
 * The whole rule: with an issue (unless `--no-issue-prompt`) the rendered
 * template, then the `--prompt` text; without, the `--prompt` text alone.
 */
export const planTask = (request: {
  readonly issue: Option.Option<TaskPromptInput>
  readonly extra: Option.Option<string>
}): TaskPlan => {
  const extra = Option.filter(request.extra, (text) => text.trim().length > 0)
  const issuePart = Option.map(request.issue, renderIssuePrompt)
  const parts = [...Option.toArray(issuePart), ...Option.toArray(extra)]
  if (parts.length === 0) return { delivery: Option.none(), source: Option.none() }
  const delivery = promptDelivery(parts.join("\n\n"))
  return {
    delivery: Option.some(delivery),
    source: Option.some({
      issue: Option.getOrNull(
        Option.map(request.issue, (input) => ({
          id: input.issueId,
          title: Option.getOrNull(Option.map(input.issue, (issue) => issue.title)),
          url: Option.getOrNull(Option.map(input.issue, (issue) => issue.url))
        }))
      ),
      template: Option.getOrNull(
        Option.map(request.issue, (input) =>
          Option.match(input.template, { onNone: () => "default", onSome: (template) => template.source })
        )
      ),
      extra: Option.getOrNull(extra),
      file: delivery._tag === "File" ? delivery.file : null
    })
  }
}
