import type { RestoreAllReport, RestoreResult } from "@ao/domain"
import { tildify } from "./home-path"
import { count } from "./plural"
import { sessionSummary } from "./session-summary"

/** Spec "Output Example" of restore, plus what `--recreate` rebuilt. */
export const renderRestore = (result: RestoreResult, homeDir: string): string =>
  [
    `Session ${result.session.id} restored.`,
    ...sessionSummary(result.session, result.branch, homeDir),
    ...(result.worktreeRecreated
      ? [
          result.snapshotApplied
            ? "  Rebuilt the worktree from its branch and re-applied the latest snapshot."
            : "  Rebuilt the worktree from its branch (no snapshot to re-apply)."
        ]
      : [])
  ].join("\n")

/** `ao session restore --all`: every restored session, then every failure with its reason. */
export const renderRestoreAll = (report: RestoreAllReport, homeDir: string): string => {
  const lines = [
    ...report.restored.map((result) => renderRestore(result, homeDir)),
    ...report.failed.map((failure) => tildify(`Failed to restore ${failure.id}: ${failure.error.message}`, homeDir))
  ]
  return [
    ...lines,
    ...(lines.length > 0 ? [""] : []),
    `${count(report.restored.length, "session")} restored, ${report.failed.length} failed.`
  ].join("\n")
}
