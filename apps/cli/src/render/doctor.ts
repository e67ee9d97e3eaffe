import { DOCTOR_FINDING_LABEL, type DoctorFinding, type DoctorRepairResult, type DoctorReport } from "@ao/domain"
import { Option } from "effect"
import { tildify } from "./home-path"
import { count } from "./plural"
import type { Style } from "./style"

/** Printed (with a blank line) before the checks start, like cleanup's header. */
export const DOCTOR_HEADER = "Checking sessions against tmux, git worktrees, locks and GitHub...\n"

/** `demo-1 (tmux session gone)`: the subject first, then what kind of drift it is. */
const subjectOf = (finding: DoctorFinding, style: Style): string =>
  `${style.bold(finding.subject)} (${style.yellow(DOCTOR_FINDING_LABEL[finding.kind])})`

const findingLines = (finding: DoctorFinding, style: Style): ReadonlyArray<string> => [
  `  ${subjectOf(finding, style)}: ${finding.detail}`,
  `    ${Option.isSome(finding.repair) ? `--fix will ${finding.fix}` : style.dim(`not fixed automatically: ${finding.fix}`)}`
]

const repairLine = (result: DoctorRepairResult, style: Style): string => {
  const what = `${result.finding.subject} (${DOCTOR_FINDING_LABEL[result.finding.kind]})`
  switch (result.outcome._tag) {
    case "Fixed":
      return `  Fixed ${style.green(what)}: ${result.outcome.did}`
    case "Skipped":
      return `  Skipped ${what}: ${result.outcome.reason}`
    case "Failed":
      return style.red(`  Error fixing ${what}: ${result.outcome.error.message}`)
  }
}

const verdict = (report: DoctorReport, fixed: boolean): string => {
  const problems = report.findings.length
  if (problems === 0) return fixed ? "Doctor complete. No problems remain." : "No problems found."
  const fixable = report.findings.filter((finding) => Option.isSome(finding.repair)).length
  const manual = problems - fixable
  if (fixed) {
    return `Doctor complete. ${count(problems, "problem")} remain${problems === 1 ? "s" : ""}${manual === problems ? " (not safe to fix automatically)" : ""}.`
  }
  return `${count(problems, "problem")} found.${fixable > 0 ? ` ${fixable} can be fixed safely with: ao doctor --fix` : ""}`
}

/**
 * `ao doctor [--fix]`: what was repaired (with --fix), then every drift that
 * is left, each with what --fix does about it or what a person should do.
 */
export const renderDoctor = (
  report: DoctorReport,
  repairs: ReadonlyArray<DoctorRepairResult> | undefined,
  { style, homeDir }: { readonly style: Style; readonly homeDir: string }
): string => {
  const repaired = (repairs ?? []).map((result) => repairLine(result, style))
  const findings = report.findings.flatMap((finding) => findingLines(finding, style))
  return tildify(
    [
      ...repaired,
      ...(repaired.length > 0 ? [""] : []),
      ...findings,
      ...(findings.length > 0 ? [""] : []),
      verdict(report, repairs !== undefined)
    ].join("\n"),
    homeDir
  )
}
