import type { StatusReport, StatusRow } from "@ao/domain"
import { Option } from "effect"
import { activityText } from "./activity"
import { formatAge } from "./age"
import { tildify } from "./home-path"
import type { Style } from "./style"
import { type Column, renderTable } from "./table"

const runtimeText = (row: StatusRow): string => (row.runtimeAlive ? "alive" : Option.isSome(row.runtimeUnknown) ? "unknown" : "dead")

/** `?`: the lookup could not answer (the warning on stderr says why); nothing is claimed either way. */
const unchecked = (row: StatusRow, about: "pr" | "issue"): boolean => row.unchecked.some((entry) => entry.about === about)

const prText = (row: StatusRow): string =>
  Option.match(row.pr, {
    onNone: () => (unchecked(row, "pr") ? "?" : "-"),
    onSome: (pr) => `#${pr.number} ${pr.state}${unchecked(row, "pr") ? " ?" : ""}`
  })

/** The id alone when no tracker tracks it (`INT-1234` with GitHub Issues, or no tracker). */
const issueText = (row: StatusRow): string =>
  Option.match(row.session.issueId, {
    onNone: () => "-",
    onSome: (id) =>
      Option.match(row.issue, {
        onNone: () => (unchecked(row, "issue") ? `${id} ?` : id),
        onSome: (issue) => `${id} ${issue.state}`
      })
  })

const columns: ReadonlyArray<Column<StatusRow>> = [
  { header: "SESSION", text: (row) => row.session.id, colour: (style) => style.green },
  { header: "PROJECT", text: (row) => row.session.projectId },
  { header: "BRANCH", text: (row) => row.branchDisplay, colour: (style) => style.cyan },
  { header: "STATUS", text: (row) => activityText(row.activity) },
  { header: "RUNTIME", text: runtimeText },
  { header: "PR", text: prText, colour: (style) => style.blue },
  { header: "ISSUE", text: issueText },
  { header: "LAST ACTIVITY", text: (row) => `${formatAge(row.age)} ago`, colour: (style) => style.dim }
]

/** `ao status`: one row per session, then each agent's last message (from its transcript); `?` marks a PR or issue state that could not be looked up. */
export const renderStatus = (
  report: StatusReport,
  { style, homeDir, waiting = false }: { readonly style: Style; readonly homeDir: string; readonly waiting?: boolean }
): string => {
  if (report.rows.length === 0 && report.broken.length === 0) {
    return waiting ? "No session is waiting for a person." : "No sessions. Start one with: ao spawn <project> [issue]"
  }
  const broken = report.broken.map((record) => tildify(`${record.id}: unreadable session file ${record.path} (${record.problem})`, homeDir))
  // Below the table, so the table's columns stay what scripts parse.
  const said = report.rows.flatMap((row) =>
    Option.match(row.summary, { onNone: () => [], onSome: (summary) => [`${style.green(row.session.id)} said: ${summary}`] })
  )
  return [
    renderTable(report.rows, columns, style),
    ...(said.length > 0 ? ["", ...said] : []),
    ...(broken.length > 0 ? ["", ...broken] : [])
  ].join("\n")
}
