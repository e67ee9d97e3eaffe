import { Option, Schema } from "effect"
import { type DoctorFinding, DoctorFindingKind, type DoctorReport } from "../use-cases/doctor"
import type { DoctorRepairResult } from "../use-cases/doctor-repair"
import { ErrorDetail, errorDetail } from "./error-view"
import { IsoTimestamp, isoTimestamp, orNull } from "./iso-timestamp"

/** One drift: what, about which thing, and whether `--fix` repairs it (and how) or a person must. */
export const DoctorFindingView = Schema.Struct({
  kind: DoctorFindingKind,
  subject: Schema.String,
  project: Schema.NullOr(Schema.String),
  detail: Schema.String,
  fixable: Schema.Boolean,
  fix: Schema.String
}).annotations({ identifier: "DoctorFinding" })
export type DoctorFindingView = typeof DoctorFindingView.Type

/** What `--fix` did about one finding. */
export const DoctorRepairView = Schema.Struct({
  kind: DoctorFindingKind,
  subject: Schema.String,
  outcome: Schema.Literal("fixed", "skipped", "failed"),
  detail: Schema.String,
  error: Schema.NullOr(ErrorDetail)
}).annotations({ identifier: "DoctorRepair" })
export type DoctorRepairView = typeof DoctorRepairView.Type

/**
 * `ao doctor --json` and `GET /api/doctor`: the findings (after the repairs
 * with `--fix`), the repairs done, and `ok` when nothing is left.
 */
export const DoctorView = Schema.Struct({
  checkedAt: IsoTimestamp,
  ok: Schema.Boolean,
  findings: Schema.Array(DoctorFindingView),
  repairs: Schema.Array(DoctorRepairView)
}).annotations({ identifier: "Doctor" })
export type DoctorView = typeof DoctorView.Type

export const doctorFindingView = (finding: DoctorFinding): DoctorFindingView => ({
  kind: finding.kind,
  subject: finding.subject,
  project: orNull(finding.projectId),
  detail: finding.detail,
  fixable: Option.isSome(finding.repair),
  fix: finding.fix
})

export const doctorRepairView = (result: DoctorRepairResult): DoctorRepairView => {
  const { finding, outcome } = result
  const base = { kind: finding.kind, subject: finding.subject }
  switch (outcome._tag) {
    case "Fixed":
      return { ...base, outcome: "fixed", detail: outcome.did, error: null }
    case "Skipped":
      return { ...base, outcome: "skipped", detail: outcome.reason, error: null }
    case "Failed":
      return { ...base, outcome: "failed", detail: outcome.error.message, error: errorDetail(outcome.error) }
  }
}

export const doctorView = (report: DoctorReport, repairs: ReadonlyArray<DoctorRepairResult> = []): DoctorView => ({
  checkedAt: isoTimestamp(report.checkedAt),
  ok: report.findings.length === 0,
  findings: report.findings.map(doctorFindingView),
  repairs: repairs.map(doctorRepairView)
})
