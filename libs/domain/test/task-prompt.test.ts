import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import {
  DEFAULT_TASK_TEMPLATE,
  planTask,
  PROMPT_ARGUMENT_LIMIT,
  promptDelivery,
  renderIssuePrompt,
  TASK_FILE,
  TASK_PLACEHOLDERS,
  type TaskPromptInput,
  unknownPlaceholders
} from "../src/rules/task-prompt"

const input = (overrides: Partial<TaskPromptInput> = {}): TaskPromptInput => ({
  issueId: "42",
  issue: Option.some({
    id: "42",
    title: "Fix the errors",
    url: "https://github.com/acme/app/issues/42",
    state: "open",
    stateReason: null,
    body: "It breaks.",
    labels: ["bug"],
    comments: [{ author: "ana", body: "Still broken.", createdAt: "2026-01-02T03:04:05Z" }]
  }),
  branch: "42-fix-the-errors",
  baseBranch: "main",
  session: "app-42",
  project: "app",
  template: Option.none(),
  ...overrides
})

describe("task prompt", () => {
  it("the built-in template uses only known placeholders and asks for commit, push, a PR naming the issue, and to ask when blocked", () => {
    expect(unknownPlaceholders(DEFAULT_TASK_TEMPLATE)).toEqual([])
    const prompt = renderIssuePrompt(input())
    expect(prompt).toContain("Your task is issue 42: Fix the errors")
    expect(prompt).toContain("ana (2026-01-02T03:04:05Z): Still broken.")
    expect(prompt).toMatch(/Commit your work.*push the branch/)
    expect(prompt).toContain("references issue 42 (https://github.com/acme/app/issues/42)")
    expect(prompt).toContain("stop and ask")
    expect(prompt).not.toMatch(/\{\{/)
  })

  it("names unknown placeholders, with or without spaces inside the braces", () => {
    expect(unknownPlaceholders("{{ issue.title }} {{issue.bodyy}} {{ brnach }} {{branch}}")).toEqual(["issue.bodyy", "brnach"])
    expect(Object.keys(TASK_PLACEHOLDERS)).toContain("issue.comments")
  })

  it("issue text is filled in once, never rendered again, and loses control characters but keeps newlines and tabs", () => {
    const issue = Option.map(input().issue, (found) => ({ ...found, body: "a {{branch}} b\u001b[31m\u0000\tc\r\nd", title: "{{issue.body}}" }))
    const prompt = renderIssuePrompt(input({ issue, template: Option.some({ source: "inline", text: "{{issue.title}}|{{issue.body}}|{{nope}}" }) }))
    expect(prompt).toBe("{{issue.body}}|a {{branch}} b[31m\tc\nd|{{nope}}")
  })

  it("without the tracker's answer the prompt still names the issue and says what is missing", () => {
    const prompt = renderIssuePrompt(input({ issue: Option.none() }))
    expect(prompt).toContain("Your task is issue 42: (the tracker did not give its title)")
    expect(prompt).toContain("Labels: none")
  })

  it("an argument up to the limit in UTF-8 bytes; past it, the whole text in the task file", () => {
    expect(promptDelivery("x".repeat(PROMPT_ARGUMENT_LIMIT))).toEqual({ _tag: "Argument", text: "x".repeat(PROMPT_ARGUMENT_LIMIT) })
    const wide = "é".repeat(PROMPT_ARGUMENT_LIMIT / 2 + 1)
    const delivery = promptDelivery(wide)
    expect(delivery).toMatchObject({ _tag: "File", file: TASK_FILE, text: wide })
    expect(delivery._tag === "File" ? delivery.argument : "").toContain(TASK_FILE)
  })

  it("plans the sources: issue and template, the extra text, and nothing at all without either", () => {
    expect(planTask({ issue: Option.none(), extra: Option.some("  ") })).toEqual({ delivery: Option.none(), source: Option.none() })
    const plan = planTask({ issue: Option.some(input()), extra: Option.some("Be brief.") })
    expect(Option.getOrThrow(plan.source)).toEqual({
      issue: { id: "42", title: "Fix the errors", url: "https://github.com/acme/app/issues/42" },
      template: "default",
      extra: "Be brief.",
      file: null
    })
    const delivered = Option.getOrThrow(plan.delivery)
    expect(delivered._tag === "Argument" && delivered.text.endsWith("\n\nBe brief.")).toBe(true)
  })
})
