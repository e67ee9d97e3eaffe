import { isEnded, Session } from "@ao/domain"
import type { Sandbox } from "@ao/e2e-harness"
import { Either, Schema } from "effect"
import { existsSync } from "node:fs"
import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"

/**
 * What must hold between ao's records and reality once every command has
 * finished (or been re-run after a crash), read straight from the disk, tmux
 * and git rather than through ao, so a bug in ao cannot hide itself.
 */

export interface Violation {
  readonly invariant: string
  readonly detail: string
}

const decodeSession = Schema.decodeUnknownEither(Session)

/** Where a sandbox keeps what ao writes (the store's layout under AO_HOME, the default worktree dir). */
export const sandboxLayout = (sandbox: Sandbox) => ({
  active: join(sandbox.paths.aoHome, "sessions"),
  archive: join(sandbox.paths.aoHome, "archive"),
  locks: join(sandbox.paths.aoHome, "locks"),
  events: join(sandbox.paths.aoHome, "events.jsonl"),
  worktreeDir: join(sandbox.paths.home, ".worktrees")
})

const filesIn = async (dir: string): Promise<ReadonlyArray<string>> => (existsSync(dir) ? (await readdir(dir)).sort() : [])

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** The project's linked worktrees as git has them registered. */
export const registeredWorktrees = async (sandbox: Sandbox) =>
  (await sandbox.git(["worktree", "list", "--porcelain"])).split("\n\n").flatMap((entry) => {
    const path = /^worktree (.+)$/m.exec(entry)?.[1]
    return path === undefined || path === sandbox.paths.repo ? [] : [{ path, prunable: /^prunable/m.test(entry) }]
  })

const parseRecord = (text: string): Either.Either<Session, string> =>
  Either.flatMap(
    Either.try({ try: () => JSON.parse(text) as unknown, catch: (error) => String(error) }),
    (json) => Either.mapLeft(decodeSession(json), (error) => error.message)
  )

/** Every record in the sandbox's store by name (the active copy wins, as in the store), and what reading found. */
export const readRecords = async (sandbox: Sandbox) => {
  const layout = sandboxLayout(sandbox)
  const violations: Array<Violation> = []
  const records = new Map<string, Session>()
  for (const place of ["active", "archive"] as const) {
    for (const file of await filesIn(layout[place])) {
      // Dot files are the store's temporaries; no reader looks at them.
      if (file.startsWith(".") || !file.endsWith(".json")) continue
      const path = join(layout[place], file)
      const parsed = parseRecord(await readFile(path, "utf8"))
      if (Either.isLeft(parsed)) {
        violations.push({ invariant: "every record decodes", detail: `${path}: ${parsed.left}` })
        continue
      }
      const session = parsed.right
      if (`${session.id}.json` !== file) violations.push({ invariant: "a record is filed under its own name", detail: path })
      if (records.has(session.id)) {
        violations.push({ invariant: "one record per session name", detail: `${session.id} is in both sessions/ and archive/` })
      } else records.set(session.id, session)
    }
  }
  return { records, violations }
}

/** The last status each session's audit events moved it to. */
const lastAuditedStatus = async (sandbox: Sandbox): Promise<ReadonlyMap<string, string>> => {
  const path = sandboxLayout(sandbox).events
  const last = new Map<string, string>()
  if (!existsSync(path)) return last
  for (const line of (await readFile(path, "utf8")).split("\n")) {
    if (line === "") continue
    const event = JSON.parse(line) as { readonly sessionId: string; readonly to: string | null; readonly kind: string }
    if (event.kind === "spawn-rolled-back") last.delete(event.sessionId)
    else if (event.to !== null) last.set(event.sessionId, event.to)
  }
  return last
}

export interface InvariantOptions {
  /**
   * Also hold every record's status to the last status its audit log moved it
   * to: an update lost between two writers shows there. Off after crashes,
   * which may land between a write and its audit line.
   */
  readonly audit?: boolean
}

/**
 * Unique names, every record decodes, every live tmux session of ours has a
 * record, every active record has its tmux session and worktree, ended ones
 * have neither, no worktree or git registration or lock is left orphaned.
 */
export const checkInvariants = async (sandbox: Sandbox, options: InvariantOptions = {}): Promise<ReadonlyArray<Violation>> => {
  const layout = sandboxLayout(sandbox)
  const prefix = `${sandbox.paths.projectId}-`
  const { records, violations } = await readRecords(sandbox)
  const tmux = new Set((await sandbox.tmuxSessions()).filter((name) => name.startsWith(prefix)))
  const worktrees = await registeredWorktrees(sandbox)
  const sessions = [...records.values()]
  const active = sessions.filter((session) => !isEnded(session.status))
  const violated = (invariant: string, detail: string) => violations.push({ invariant, detail })

  for (const session of active) {
    if (session.status === "spawning") violated("no session is left half spawned", session.id)
    if (!tmux.has(session.runtimeHandle)) violated("every active record has its tmux session", session.id)
    if (!existsSync(join(session.workspacePath, ".git"))) violated("every active record has its worktree", `${session.id}: ${session.workspacePath}`)
  }
  for (const session of sessions.filter((candidate) => isEnded(candidate.status))) {
    if (tmux.has(session.runtimeHandle)) violated("an ended session has no tmux session", `${session.id} (${session.status})`)
    if (existsSync(session.workspacePath)) violated("an ended session has no worktree", `${session.id}: ${session.workspacePath}`)
  }
  const handles = new Set(active.map((session) => session.runtimeHandle))
  for (const name of tmux) if (!handles.has(name)) violated("every tmux session of ours has an active record", name)
  const paths = new Set(active.map((session) => session.workspacePath))
  for (const worktree of worktrees) {
    if (worktree.prunable) violated("git registers no deleted worktree", worktree.path)
    else if (worktree.path.startsWith(`${layout.worktreeDir}/`) && !paths.has(worktree.path)) {
      violated("every worktree of ours has an active record", worktree.path)
    }
  }
  for (const file of await filesIn(layout.locks)) {
    if (!file.endsWith(".lock")) continue
    const holder = parseLock(await readFile(join(layout.locks, file), "utf8").catch(() => ""))
    if (holder === undefined || !isRunning(holder)) violated("no lock outlives its holder", file)
  }
  if (options.audit === true) {
    const audited = await lastAuditedStatus(sandbox)
    for (const session of sessions) {
      const last = audited.get(session.id)
      if (last !== session.status) violated("no update to a record is lost", `${session.id} is ${session.status}, its audit log says ${String(last)}`)
    }
  }
  return violations
}

const parseLock = (text: string): number | undefined => {
  const pid = Either.getOrUndefined(Either.try(() => (JSON.parse(text) as { readonly pid?: unknown }).pid))
  return typeof pid === "number" ? pid : undefined
}
