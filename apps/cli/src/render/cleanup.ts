import {
  type CleanupPlan,
  type CleanupReport,
  type DomainError,
  describeCriteria,
  type SessionNote
} from "@ao/domain"
import { Option } from "effect"
import { tildify } from "./home-path"
import { count } from "./plural"
import type { Style } from "./style"

/** Printed (with a blank line) before the check starts, as the spec's examples begin. */
export const CLEANUP_HEADER = "Checking for completed sessions...\n"

const notes = (prefix: string, entries: ReadonlyArray<SessionNote>): ReadonlyArray<string> =>
  entries.map((note) => `  ${prefix} ${note.id} (${note.reason})`)

/** Spec "Dry Run Example", each line with the criterion that matched, plus what could not be checked. */
export const renderCleanupPlan = (plan: CleanupPlan, style: Style): string =>
  [
    ...plan.candidates.map(
      (candidate) => `  Would kill ${style.green(candidate.id)} ${style.dim(`(${describeCriteria(candidate.criteria)})`)}`
    ),
    ...notes("Kept", plan.unverified),
    ...(plan.candidates.length + plan.unverified.length > 0 ? [""] : []),
    `Dry run complete. ${count(plan.candidates.length, "session")} would be cleaned.`
  ].join("\n")

const failureLine = (failure: { readonly id: string; readonly error: DomainError }, homeDir: string): string =>
  tildify(`  Error cleaning ${failure.id}: ${failure.error.message}`, homeDir)

/** Spec "Actual Cleanup Example" and "Error Handling": what was cleaned, why, and what failed. */
export const renderCleanupReport = (
  plan: CleanupPlan,
  report: CleanupReport,
  { style, homeDir }: { readonly style: Style; readonly homeDir: string }
): string => {
  const cleaned = report.cleaned.flatMap((session) => [
    `  Cleaned: ${style.green(session.id)} ${style.dim(`(${describeCriteria(session.criteria)})`)}`,
    ...Option.match(session.snapshotRef, {
      onNone: () => [],
      onSome: (ref) => [`    Uncommitted work saved to ${ref}`]
    })
  ])
  const body = [
    ...cleaned,
    ...notes("Skipped", report.skipped),
    ...report.failed.map((failure) => style.red(failureLine(failure, homeDir))),
    ...notes("Kept", plan.unverified)
  ]
  return [
    ...body,
    ...(body.length > 0 ? [""] : []),
    `Cleanup complete. ${count(report.cleaned.length, "session")} cleaned.`
  ].join("\n")
}
