import { Array as Arr, Option, Schema } from "effect"
import type { Lookup } from "../ports/lookup"
import type { BrokenSessionRecord } from "../ports/session-store"
import type { IssueInfo } from "../ports/tracker"
import type { PullRequest } from "../session"
import { isTerminal, type SessionStatus } from "../status"

/** Why cleanup considers a session's work complete (spec "Cleanup Criteria"), in the spec's order. */
export const CleanupCriterion = Schema.Literal("pr-merged", "issue-closed", "runtime-dead")
export type CleanupCriterion = typeof CleanupCriterion.Type

export const CLEANUP_CRITERIA: ReadonlyArray<CleanupCriterion> = CleanupCriterion.literals

export const CLEANUP_CRITERION_LABEL: Record<CleanupCriterion, string> = {
  "pr-merged": "PR merged",
  "issue-closed": "issue closed",
  "runtime-dead": "runtime dead"
}

/** What cleanup knows about one session when it decides. */
export type CleanupFacts =
  | {
      readonly _tag: "Readable"
      /** The observed status (a dead pane shows as exited). */
      readonly status: SessionStatus
      readonly runtimeAlive: boolean
      /** Absent when the session has no PR (or its project has no code host). */
      readonly pr: Lookup<PullRequest>
      /** Absent when the session has no issue (or its project has no tracker). */
      readonly issue: Lookup<IssueInfo>
    }
  | { readonly _tag: "Broken"; readonly record: BrokenSessionRecord; readonly runtimeAlive: boolean }

export type CleanupDecision =
  | {
      readonly _tag: "Clean"
      readonly criteria: Arr.NonEmptyReadonlyArray<CleanupCriterion>
      /** A lookup that could not answer: reported even though another criterion cleans the session. */
      readonly couldNotCheck: Option.Option<string>
    }
  | { readonly _tag: "Skip"; readonly reason: string }
  /** A lookup could not answer and no other criterion matched: not a verdict either way. */
  | { readonly _tag: "Unverified"; readonly reason: string }
  | { readonly _tag: "Keep"; readonly reason: string }

const matched = <A>(lookup: Lookup<A>, predicate: (value: A) => boolean): boolean =>
  lookup._tag === "Found" && predicate(lookup.value)

const unknownReason = (what: string, lookup: Lookup<unknown>): Option.Option<string> =>
  lookup._tag === "Unknown" ? Option.some(`${what}: ${lookup.reason}`) : Option.none()

/** Every criterion that holds, in order, or why the session is left alone. */
export const cleanupDecision = (facts: CleanupFacts): CleanupDecision => {
  if (facts._tag === "Broken") {
    // A broken record whose runtime is gone must not be orphaned; one still running is the user's to judge.
    return facts.runtimeAlive
      ? {
          _tag: "Unverified",
          reason: `could not check: session file ${facts.record.path} is unreadable (${facts.record.problem}) and its runtime is still running`
        }
      : { _tag: "Clean", criteria: ["runtime-dead"], couldNotCheck: Option.none() }
  }
  if (isTerminal(facts.status)) return { _tag: "Skip", reason: `status is ${facts.status}` }
  const holds: Record<CleanupCriterion, boolean> = {
    "pr-merged": matched(facts.pr, (pr) => pr.state === "merged"),
    "issue-closed": matched(facts.issue, (issue) => issue.state === "closed"),
    "runtime-dead": !facts.runtimeAlive
  }
  const criteria = CLEANUP_CRITERIA.filter((criterion) => holds[criterion])
  const unknowns = Arr.getSomes([unknownReason("PR", facts.pr), unknownReason("issue", facts.issue)])
  const couldNotCheck = unknowns.length > 0 ? Option.some(`could not check: ${unknowns.join("; ")}`) : Option.none()
  if (Arr.isNonEmptyReadonlyArray(criteria)) return { _tag: "Clean", criteria, couldNotCheck }
  return Option.match(couldNotCheck, {
    onNone: (): CleanupDecision => ({ _tag: "Keep", reason: "PR not merged, issue not closed, runtime running" }),
    onSome: (reason): CleanupDecision => ({ _tag: "Unverified", reason })
  })
}

/** "PR merged, runtime dead" */
export const describeCriteria = (criteria: ReadonlyArray<CleanupCriterion>): string =>
  criteria.map((criterion) => CLEANUP_CRITERION_LABEL[criterion]).join(", ")
