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
const runtimeDead = (view: SessionView): boolean => !view.runtimeAlive && !isEnded(view.status) && Option.isNone(view.runtimeUnknown)

/** A live session whose tmux server could not be asked: its agent may well be running. */
const runtimeUnknown = (view: SessionView): boolean => Option.isSome(view.runtimeUnknown) && !isEnded(view.status)

/** A live session whose worktree was deleted: whatever its agent does, it works on nothing. */
const worktreeMissing = (view: SessionView): boolean => view.branch._tag === "Missing" && !isEnded(view.status)

/** `  ao-int-1234  (2m)  int-1234-fix-errors  [working]  https://…/pull/156`, marked when the runtime is gone. */
export const sessionLine = (view: SessionView, { style, homeDir }: ListRendering): string => {
  const fields = [
    style.green(view.session.id),
    style.dim(`(${formatAge(view.age)})`),
    style.cyan(tildify(view.branchDisplay, homeDir)),
    worktreeMissing(view) ? style.red("[worktree missing]") : style.dim(`[${view.activity.state}]`),
    ...Option.match(view.pr, { onNone: () => [], onSome: (pr) => [style.blue(pr.url)] }),
    ...(runtimeDead(view) ? [style.red("(runtime dead)")] : []),
    ...(runtimeUnknown(view) ? [style.yellow("(runtime unknown)")] : [])
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

/** `ao session ls` output: the listing for stdout, the hints and counts for stderr (so pipes see only the listing). */
export interface RenderedList {
  readonly stdout: string
  readonly stderr: string
}

/**
 * What `ao session ls` prints (spec "Output Example"). `headers: false` leaves
 * out the project lines (`ls --project` lists one project), so the spec's
 * Batch Kill script (`grep my-project | awk '{print $1}'`) sees only sessions.
 */
export const renderSessionList = (
  list: SessionList,
  rendering: ListRendering & { readonly headers: boolean }
): RenderedList => {
  const blocks: Array<string> = groupByProject(list.sessions).map(([projectName, views]) =>
    [...(rendering.headers ? [`${projectName}:`] : []), ...views.map((view) => sessionLine(view, rendering))].join("\n")
  )
  if (list.broken.length > 0) {
    blocks.push(["unreadable session files:", ...list.broken.map((record) => brokenLine(record, rendering))].join("\n"))
  }
  const notes: Array<string> = []
  if (list.broken.length > 0) notes.push("Unreadable session files: ao session kill <name> still tears them down.")
  if (blocks.length === 0) notes.push("No sessions. Start one with: ao spawn <project> [issue]")
  const dead = list.sessions.filter(runtimeDead)
  if (dead.length > 0) {
    notes.push(`${count(dead.length, "session")} without a runtime: ao session restore <name> brings one back (--all for every one).`)
  }
  const lost = list.sessions.filter(worktreeMissing)
  if (lost.length > 0) {
    notes.push(
      `${count(lost.length, "session")} without a worktree: ao session restore <name> --recreate rebuilds one from its branch; ao session kill <name>, then ao spawn, starts afresh.`
    )
  }
  if (list.hiddenEnded > 0) {
    notes.push(rendering.style.dim(`${count(list.hiddenEnded, "killed or done session")} hidden (--all shows them).`))
  }
  return { stdout: blocks.join("\n\n"), stderr: notes.join("\n") }
}

/** `ao session ls -q`: one name a line, unreadable records included, nothing else. */
export const renderSessionNames = (list: SessionList): string =>
  [...list.sessions.map((view) => view.session.id), ...list.broken.map((record) => record.id)].join("\n")
