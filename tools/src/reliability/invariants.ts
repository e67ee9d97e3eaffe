import { isAlive as isProcessAlive } from "@ao/adapters-store/process-identity"
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

/** `.<writer pid>-<random>.tmp`, the store's name for a file being written: the pid says whose it is. */
const TEMPORARY_NAME = /^\.(\d+)-[0-9a-f]+\.tmp$/

/** Whether `pid` runs (EPERM: it does, as someone else). */
const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (cause) {
    return (cause as { readonly code?: unknown }).code !== "ESRCH"
  }
}

/**
 * A temporary file found once every command has finished. A SIGKILL between
 * a write and its rename leaves one, and the store removes a dead writer's
 * leftovers at its next write in that directory: with `crashedWriters`, a
 * crashed writer's temporary is collected there for the caller to check that
 * the store's next write removes it. Any other temporary (no writer named,
 * or one still running) is a violation at once.
 */
const checkTemporary = (path: string, file: string, options: InvariantOptions): ReadonlyArray<Violation> => {
  const writer = TEMPORARY_NAME.exec(file)?.[1]
  if (options.crashedWriters === undefined || writer === undefined || isRunning(Number(writer))) {
    return [{ invariant: "no temporary file outlives its writer", detail: path }]
  }
  options.crashedWriters.add(path)
  return []
}

/** Every record in the sandbox's store by name (the active copy wins, as in the store), and what reading found. */
export const readRecords = async (sandbox: Sandbox, options: InvariantOptions = {}) => {
  const layout = sandboxLayout(sandbox)
  const violations: Array<Violation> = []
  const records = new Map<string, Session>()
  for (const place of ["active", "archive"] as const) {
    for (const file of await filesIn(layout[place])) {
      const path = join(layout[place], file)
      // The store's temporaries (dot files) live only while their writer does.
      if (file.startsWith(".")) {
        violations.push(...checkTemporary(path, file, options))
        continue
      }
      if (!file.endsWith(".json")) continue
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

/** The last status each session's audit events moved it to, and every session the audit log names. */
const auditLog = async (sandbox: Sandbox) => {
  const path = sandboxLayout(sandbox).events
  const last = new Map<string, string>()
  const named = new Set<string>()
  if (!existsSync(path)) return { last, named }
  for (const line of (await readFile(path, "utf8")).split("\n")) {
    if (line === "") continue
    const event = JSON.parse(line) as { readonly sessionId: string; readonly to: string | null; readonly kind: string }
    named.add(event.sessionId)
    if (event.kind === "spawn-rolled-back") last.delete(event.sessionId)
    else if (event.to !== null) last.set(event.sessionId, event.to)
  }
  return { last, named }
}

/** The branch a worktree has checked out, undefined when HEAD is detached or unreadable. */
const checkedOutBranch = async (sandbox: Sandbox, worktree: string): Promise<string | undefined> =>
  sandbox.git(["symbolic-ref", "--quiet", "--short", "HEAD"], worktree).catch(() => undefined)

/** Each tmux session's start directory (`#{session_path}`) on the sandbox's server. */
const tmuxStartDirectories = async (sandbox: Sandbox): Promise<ReadonlyMap<string, string>> => {
  if ((await sandbox.tmuxSessions()).length === 0) return new Map()
  const listed = await sandbox.tmux(["list-sessions", "-F", "#{session_name}\t#{session_path}"]).catch(() => "")
  return new Map(listed.split("\n").flatMap((line) => {
    const tab = line.indexOf("\t")
    return tab < 0 ? [] : [[line.slice(0, tab), line.slice(tab + 1)] as const]
  }))
}

export interface InvariantOptions {
  /**
   * Also hold every record's status to the last status its audit log moved it
   * to: an update lost between two writers shows there. Off after crashes,
   * which may land between a write and its audit line.
   */
  readonly audit?: boolean
  /**
   * Sessions whose agent detached HEAD itself (the work inventory's commit no
   * branch reaches): their worktree may be on no branch, never on another one.
   */
  readonly detached?: ReadonlySet<string>
  /**
   * After crashes: collects the temporaries of crashed (no longer running)
   * writers instead of reporting them, for the caller to check that the
   * store's next write in their directory removes them. Without it every
   * temporary is a violation.
   */
  readonly crashedWriters?: Set<string>
}

/**
 * Unique names, every record decodes, every live tmux session of ours has a
 * record, every active record has its tmux session (started in its worktree)
 * and its worktree (on its branch), ended ones have neither, no worktree,
 * git registration, branch, snapshot ref, lock or temporary file is left
 * orphaned.
 */
export const checkInvariants = async (sandbox: Sandbox, options: InvariantOptions = {}): Promise<ReadonlyArray<Violation>> => {
  const layout = sandboxLayout(sandbox)
  const prefix = `${sandbox.paths.projectId}-`
  const { records, violations } = await readRecords(sandbox, options)
  const tmux = new Set((await sandbox.tmuxSessions()).filter((name) => name.startsWith(prefix)))
  const startDirectories = await tmuxStartDirectories(sandbox)
  const worktrees = await registeredWorktrees(sandbox)
  const sessions = [...records.values()]
  const active = sessions.filter((session) => !isEnded(session.status))
  const audit = await auditLog(sandbox)
  const violated = (invariant: string, detail: string) => violations.push({ invariant, detail })

  for (const session of active) {
    if (session.status === "spawning") violated("no session is left half spawned", session.id)
    if (!tmux.has(session.runtimeHandle)) violated("every active record has its tmux session", session.id)
    else if (startDirectories.get(session.runtimeHandle) !== session.workspacePath) {
      violated("every tmux session of ours starts in its recorded worktree", `${session.id}: ${String(startDirectories.get(session.runtimeHandle))}, recorded ${session.workspacePath}`)
    }
    if (!existsSync(join(session.workspacePath, ".git"))) violated("every active record has its worktree", `${session.id}: ${session.workspacePath}`)
    else {
      const branch = await checkedOutBranch(sandbox, session.workspacePath)
      const mayBeDetached = branch === undefined && options.detached?.has(session.id) === true
      if (branch !== session.branch && !mayBeDetached) violated("every live worktree is on its recorded branch", `${session.id}: ${String(branch)}, recorded ${session.branch}`)
    }
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
  // Branches: the project's own, and one per recorded session (kept after a kill: the work is on it).
  const branches = new Set(sessions.map((session) => `refs/heads/${session.branch}`))
  for (const branch of await sandbox.refs("refs/heads/")) {
    if (branch !== "refs/heads/main" && !branches.has(branch)) violated("every branch ao made belongs to a recorded session", branch)
  }
  // Snapshots: of a session ao knows (a record, or the audit line of a rolled-back spawn), and whole.
  for (const ref of await sandbox.refs("refs/ao/")) {
    const owner = /^refs\/ao\/snapshots\/([^/]+)\/./.exec(ref)?.[1]
    if (owner === undefined || (!records.has(owner) && !audit.named.has(owner))) violated("every snapshot ref belongs to a session ao knows", ref)
    else if ((await sandbox.git(["cat-file", "-t", ref]).catch(() => "")) !== "commit") violated("every snapshot ref is a whole commit", ref)
  }
  for (const file of await filesIn(layout.locks)) {
    const path = join(layout.locks, file)
    if (file.endsWith(".lock")) {
      const holder = parseLock(await readFile(path, "utf8").catch(() => ""))
      if (holder === undefined || !isProcessAlive(holder)) violated("no lock outlives its holder", file)
    } else if (file.startsWith(".")) violations.push(...checkTemporary(path, file, options))
    else violated("no temporary file outlives its writer", path)
  }
  if (options.audit === true) {
    for (const session of sessions) {
      const last = audit.last.get(session.id)
      if (last !== session.status) violated("no update to a record is lost", `${session.id} is ${session.status}, its audit log says ${String(last)}`)
    }
  }
  return violations
}

/** The holder a lock file names, as the store reads it: pid and process start time. */
const parseLock = (text: string): { readonly pid: number; readonly startTicks: string | null } | undefined => {
  const holder = Either.getOrUndefined(Either.try(() => JSON.parse(text) as { readonly pid?: unknown; readonly startTicks?: unknown }))
  if (typeof holder?.pid !== "number") return undefined
  return { pid: holder.pid, startTicks: typeof holder.startTicks === "string" ? holder.startTicks : null }
}

/**
 * Everything the invariants look at, as found: printed with a violation so
 * a failure seen once (in CI, on a busy machine) can be understood without
 * reproducing it. Read the same way as `checkInvariants` reads it.
 */
export interface SandboxState {
  /** Each record file: where it is (`sessions/` or `archive/`) and its fields that the invariants compare, or why it does not decode. */
  readonly records: ReadonlyArray<string>
  /** Other files in the store's directories (temporaries). */
  readonly strayFiles: ReadonlyArray<string>
  /** `name start-directory` of each tmux session on the sandbox's server. */
  readonly tmux: ReadonlyArray<string>
  /** `path [prunable] [branch]` of each linked worktree git has registered. */
  readonly worktrees: ReadonlyArray<string>
  readonly branches: ReadonlyArray<string>
  readonly snapshotRefs: ReadonlyArray<string>
  /** `file: content` of each lock file, with whether its holder is alive. */
  readonly locks: ReadonlyArray<string>
  /** The last audit events (events.jsonl), oldest first. */
  readonly lastEvents: ReadonlyArray<string>
}

const LAST_EVENTS = 12

export const describeState = async (sandbox: Sandbox): Promise<SandboxState> => {
  const layout = sandboxLayout(sandbox)
  const records: Array<string> = []
  const strayFiles: Array<string> = []
  for (const place of ["active", "archive"] as const) {
    for (const file of await filesIn(layout[place])) {
      const path = join(layout[place], file)
      if (file.startsWith(".") || !file.endsWith(".json")) {
        strayFiles.push(path)
        continue
      }
      const parsed = parseRecord(await readFile(path, "utf8").catch((error: unknown) => String(error)))
      records.push(
        Either.isLeft(parsed)
          ? `${place}/${file}: does not decode: ${parsed.left}`
          : `${place}/${file}: ${parsed.right.status} branch ${parsed.right.branch} worktree ${parsed.right.workspacePath} tmux ${parsed.right.runtimeHandle}`
      )
    }
  }
  const tmux = [...(await tmuxStartDirectories(sandbox))].map(([name, path]) => `${name} ${path}`)
  const porcelain = await sandbox.git(["worktree", "list", "--porcelain"]).catch((error: unknown) => `git worktree list failed: ${String(error)}`)
  const worktrees = porcelain.split("\n\n").flatMap((entry) => {
    const path = /^worktree (.+)$/m.exec(entry)?.[1]
    if (path === undefined || path === sandbox.paths.repo) return []
    const branch = /^branch (.+)$/m.exec(entry)?.[1] ?? (/^detached$/m.test(entry) ? "detached" : "no branch")
    return [`${path} ${branch}${/^prunable/m.test(entry) ? " prunable" : ""}`]
  })
  const locks: Array<string> = []
  for (const file of await filesIn(layout.locks)) {
    const text = await readFile(join(layout.locks, file), "utf8").catch((error: unknown) => String(error))
    const holder = file.endsWith(".lock") ? parseLock(text) : undefined
    locks.push(`${file}: ${text.trim()}${holder === undefined ? "" : isProcessAlive(holder) ? " (holder alive)" : " (holder gone)"}`)
  }
  const events = existsSync(layout.events) ? (await readFile(layout.events, "utf8")).split("\n").filter((line) => line !== "") : []
  return {
    records,
    strayFiles,
    tmux,
    worktrees,
    branches: await sandbox.refs("refs/heads/"),
    snapshotRefs: await sandbox.refs("refs/ao/"),
    locks,
    lastEvents: events.slice(-LAST_EVENTS)
  }
}
