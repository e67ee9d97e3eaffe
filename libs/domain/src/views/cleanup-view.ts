import { Schema } from "effect"
import { CLEANUP_CRITERION_LABEL, CleanupCriterion } from "../rules/cleanup-criteria"
import type { CleanupPlan, CleanupReport, SessionNote } from "../use-cases/results"
import { SessionFailureView, sessionFailureView } from "./error-view"
import { IsoTimestamp, isoTimestamp, orNull } from "./iso-timestamp"
import { WarningView, warningView } from "./warning-view"

/** Why cleanup picked a session: the criteria, and their labels for people ("PR merged"). */
const criteriaFields = {
  criteria: Schema.Array(CleanupCriterion),
  reasons: Schema.Array(Schema.String)
}

const criteriaView = (criteria: ReadonlyArray<CleanupCriterion>) => ({
  criteria,
  reasons: criteria.map((criterion) => CLEANUP_CRITERION_LABEL[criterion])
})

export const SessionNoteView = Schema.Struct({ name: Schema.String, reason: Schema.String }).annotations({
  identifier: "SessionNote"
})

const noteView = (note: SessionNote) => ({ name: note.id, reason: note.reason })

/** `ao session cleanup --dry-run --json`: what would be cleaned and why, what was skipped, what could not be checked. */
export const CleanupPlanView = Schema.Struct({
  dryRun: Schema.Literal(true),
  checkedAt: IsoTimestamp,
  wouldClean: Schema.Array(
    Schema.Struct({ name: Schema.String, project: Schema.NullOr(Schema.String), ...criteriaFields })
  ),
  skipped: Schema.Array(SessionNoteView),
  couldNotCheck: Schema.Array(SessionNoteView),
  /** What could not be looked up, one entry per project, subject and reason. */
  warnings: Schema.Array(WarningView)
}).annotations({ identifier: "CleanupPlan" })
export type CleanupPlanView = typeof CleanupPlanView.Type

/** `ao session cleanup --json`: what was cleaned and why, what failed and why, what was left alone. */
export const CleanupReportView = Schema.Struct({
  dryRun: Schema.Literal(false),
  checkedAt: IsoTimestamp,
  cleaned: Schema.Array(
    Schema.Struct({ name: Schema.String, ...criteriaFields, snapshotRef: Schema.NullOr(Schema.String) })
  ),
  failed: Schema.Array(SessionFailureView),
  skipped: Schema.Array(SessionNoteView),
  couldNotCheck: Schema.Array(SessionNoteView),
  warnings: Schema.Array(WarningView)
}).annotations({ identifier: "CleanupReport" })
export type CleanupReportView = typeof CleanupReportView.Type

export const cleanupPlanView = (plan: CleanupPlan): CleanupPlanView => ({
  dryRun: true,
  checkedAt: isoTimestamp(plan.checkedAt),
  wouldClean: plan.candidates.map((candidate) => ({
    name: candidate.id,
    project: orNull(candidate.projectId),
    ...criteriaView(candidate.criteria)
  })),
  skipped: plan.skipped.map(noteView),
  couldNotCheck: plan.unverified.map(noteView),
  warnings: plan.warnings.map(warningView)
})

/** The report of applying `plan`: its skips and unverified sessions stay in the picture. */
export const cleanupReportView = (plan: CleanupPlan, report: CleanupReport): CleanupReportView => ({
  dryRun: false,
  checkedAt: isoTimestamp(plan.checkedAt),
  cleaned: report.cleaned.map((cleaned) => ({
    name: cleaned.id,
    ...criteriaView(cleaned.criteria),
    snapshotRef: orNull(cleaned.snapshotRef)
  })),
  failed: report.failed.map(sessionFailureView),
  skipped: [...plan.skipped, ...report.skipped].map(noteView),
  couldNotCheck: plan.unverified.map(noteView),
  warnings: plan.warnings.map(warningView)
})
