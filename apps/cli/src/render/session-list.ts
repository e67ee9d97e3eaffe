import { type BrokenSessionRecord, isEnded, type SessionList, type SessionView } from "@ao/domain"
import { Option } from "effect"
import { formatAge } from "./age"
import { tildify } from "./home-path"
import { count } from "./plural"
import type { Style } from "./style"

export interface ListRendering {
  readonly style: Style
  readonly homeDir: string
}

/** A live session whose tmux session is gone (after a crash or reboot): restore brings it back. */
const runtimeDead = (view: SessionView): boolean => !view.runtimeAlive && !isEnded(view.status)

/** `  ao-int-1234  (2m)  int-1234-fix-errors  [working]  https://…/pull/156`, marked when the runtime is gone. */
export const sessionLine = (view: SessionView, { style, homeDir }: ListRendering): string => {
  const fields = [
    style.green(view.session.id),
    style.dim(`(${formatAge(view.age)})`),
    style.cyan(tildify(view.branchDisplay, homeDir)),
    style.dim(`[${view.activity.state}]`),
    ...Option.match(view.pr, { onNone: () => [], onSome: (pr) => [style.blue(pr.url)] }),
    ...(runtimeDead(view) ? [style.red("(runtime dead)")] : [])
  ]
  return `  ${fields.join("  ")}`
}

/** Sessions grouped under their project's name, in the order the listing gives them. */
const groupByProject = (sessions: ReadonlyArray<SessionView>): ReadonlyArray<[string, ReadonlyArray<SessionView>]> => {
  const groups = new Map<string, Array<SessionView>>()
  for (const view of sessions) {
    const group = groups.get(view.projectName)
    if (group === undefined) groups.set(view.projectName, [view])
    else group.push(view)
  }
  return [...groups.entries()]
}

const brokenLine = (record: BrokenSessionRecord, { style, homeDir }: ListRendering): string =>
  `  ${style.green(record.id)}  ${style.red(`[unreadable]`)}  ${tildify(`${record.path}: ${record.problem}`, homeDir)}`

/** What `ao session ls` prints (spec "Output Example"). */
export const renderSessionList = (list: SessionList, rendering: ListRendering): string => {
  const blocks: Array<string> = groupByProject(list.sessions).map(([projectName, views]) =>
    [`${projectName}:`, ...views.map((view) => sessionLine(view, rendering))].join("\n")
  )
  if (list.broken.length > 0) {
    blocks.push(
      [
        "unreadable session files:",
        ...list.broken.map((record) => brokenLine(record, rendering)),
        "  (ao session kill <name> still tears them down)"
      ].join("\n")
    )
  }
  if (blocks.length === 0) blocks.push("No sessions. Start one with: ao spawn <project> [issue]")
  const footer: Array<string> = []
  const dead = list.sessions.filter(runtimeDead)
  if (dead.length > 0) {
    footer.push(
      `${count(dead.length, "session")} without a runtime: ao session restore <name> brings one back (--all for every one).`
    )
  }
  if (list.hiddenEnded > 0) {
    footer.push(rendering.style.dim(`${count(list.hiddenEnded, "killed or done session")} hidden (--all shows them).`))
  }
  return [blocks.join("\n\n"), ...(footer.length > 0 ? ["", ...footer] : [])].join("\n")
}
