import { DateTime, Duration, Effect, Either, Option, Order, Schema } from "effect"
import { Notifier } from "../ports/notifier"
import { Projects } from "../ports/projects"
import { Runtime, type RuntimeSessionInfo } from "../ports/runtime"
import { type SessionLockInfo, SessionStore } from "../ports/session-store"
import { Tracker } from "../ports/tracker"
import { type InterruptedRemoval, type RegisteredWorktree, snapshotRefsOf, Workspace } from "../ports/workspace"
import type { Project } from "../project"
import type { Session } from "../session"
import { sessionNameProblem } from "../session-name"
import { isEnded } from "../status"
import { hostedRepo } from "./project-scope"
import { runtimeIndexOf, runtimeUnknownText } from "./runtime-index"

/** Every kind of drift between the records and what is really there, in the order a report lists them. */
export const DoctorFindingKind = Schema.Literal(
  "tool-missing",
  "tool-failed",
  "tracker-access",
  "notifier-unavailable",
  "interrupted-spawn",
  "lost-session",
  "interrupted-removal",
  "runtime-missing",
  "sandbox-missing",
  "runtime-unknown",
  "workspace-missing",
  "broken-record",
  "orphan-runtime",
  "orphan-worktree",
  "stale-registration",
  "stale-lock",
  "stale-temporary"
)
export type DoctorFindingKind = typeof DoctorFindingKind.Type

/** Each kind in a few words, for people. */
export const DOCTOR_FINDING_LABEL: Record<DoctorFindingKind, string> = {
  "tool-missing": "missing tool",
  "tool-failed": "tool not working",
  "tracker-access": "GitHub access",
  "notifier-unavailable": "notifier cannot run",
  "interrupted-spawn": "interrupted spawn",
  "lost-session": "lost session",
  "interrupted-removal": "interrupted removal",
  "runtime-missing": "tmux session gone",
  "sandbox-missing": "container gone",
  "runtime-unknown": "tmux server not answering",
  "workspace-missing": "worktree gone",
  "broken-record": "unreadable session file",
  "orphan-runtime": "orphan tmux session",
  "orphan-worktree": "orphan worktree",
  "stale-registration": "stale worktree registrations",
  "stale-lock": "stale lock",
  "stale-temporary": "stale temporary file"
}

/**
 * How old a store temporary whose writer is gone must be before doctor calls it stale: a writer's
 * pid is all the file says, and another machine or container sharing the store has pids of its own.
 */
export const STALE_TEMPORARY_AGE: Duration.DurationInput = "10 minutes"

/**
 * What `ao doctor --fix` does about a finding. Each one is re-checked right
 * before it acts, because the report may be stale by then.
 */
export type DoctorRepair =
  | { readonly _tag: "ClearLock"; readonly id: string }
  | { readonly _tag: "RollBackSpawn"; readonly id: string }
  | { readonly _tag: "MarkKilled"; readonly id: string }
  | { readonly _tag: "TearDownBroken"; readonly id: string }
  | { readonly _tag: "KillRuntime"; readonly name: string }
  | {
      readonly _tag: "RemoveWorktree"
      readonly path: string
      readonly repoPath: string
      readonly worktreeDir: string
      readonly sessionId: string
    }
  | {
      /** Finishes a removal that was interrupted after its snapshot, through the same removal kill and cleanup use. */
      readonly _tag: "FinishRemoval"
      readonly path: string
      readonly repoPath: string
      readonly worktreeDir: string
      readonly sessionId: string
    }
  | { readonly _tag: "Prune"; readonly repoPath: string }
  | { readonly _tag: "RemoveTemporary"; readonly path: string; readonly modifiedBefore: DateTime.Utc }

export interface DoctorFinding {
  readonly kind: DoctorFindingKind
  /** What it is about: a session name, a tmux session, a path, a tool, a project. */
  readonly subject: string
  readonly projectId: Option.Option<string>
  /** What is wrong, in words a user can read. */
  readonly detail: string
  /** What `--fix` does, or, when that is not safe, what the user can do. */
  readonly fix: string
  /** None when fixing it is not safe without a person deciding. */
  readonly repair: Option.Option<DoctorRepair>
}

export interface DoctorReport {
  readonly checkedAt: DateTime.Utc
  readonly findings: ReadonlyArray<DoctorFinding>
}

const finding = (
  kind: DoctorFindingKind,
  subject: string,
  projectId: string | null,
  detail: string,
  fix: string,
  repair?: DoctorRepair
): DoctorFinding => ({ kind, subject, projectId: Option.fromNullable(projectId), detail, fix, repair: Option.fromNullable(repair) })

export const withoutTrailingSlash = (path: string): string => path.replace(/\/+$/, "")

/** A name made by ao for one of the configured projects (`{prefix}-…`). */
const projectNamed = (projects: ReadonlyArray<Project>, name: string): Option.Option<Project> =>
  Option.fromNullable(projects.find((project) => name.startsWith(`${project.sessionPrefix}-`)))

/**
 * The session a worktree with no record was made for (`{worktreeDir}/{project}-{suffix}`
 * belongs to `{prefix}-{suffix}`), so its snapshot lands where that session's would.
 */
export const sessionIdForWorktree = (project: Project, path: string): string => {
  const base = withoutTrailingSlash(path).split("/").at(-1) ?? ""
  const suffix = base.startsWith(`${project.id}-`) ? base.slice(project.id.length + 1) : base.toLowerCase()
  const candidate = `${project.sessionPrefix}-${suffix}`
  return sessionNameProblem(candidate) === undefined ? candidate : `${project.sessionPrefix}-orphan`
}

/** The runtime, when tmux could be asked; None when it could not (then nothing is judged on it). */
type RuntimeView = Option.Option<ReadonlyMap<string, RuntimeSessionInfo>>

const toolFinding = (tool: string, error: { readonly _tag: string; readonly message: string }): DoctorFinding =>
  error._tag === "ToolMissing"
    ? finding("tool-missing", tool, null, `${tool} is not installed or not on PATH`, `Install ${tool} and run ao doctor again`)
    : finding("tool-failed", tool, null, error.message, `Check that ${tool} works from this shell, then run ao doctor again`)

const sessionFindings = (session: Session, alive: boolean, workspaceExists: boolean): Option.Option<DoctorFinding> => {
  const { id, projectId, workspacePath } = session
  if (!alive && !workspaceExists) {
    return Option.some(
      finding(
        "lost-session",
        id,
        projectId,
        `recorded as ${session.status}, but its tmux session and its worktree ${workspacePath} are both gone`,
        `mark it killed; its branch ${session.branch} and snapshots stay, and ao session restore ${id} --recreate brings it back`,
        { _tag: "MarkKilled", id }
      )
    )
  }
  if (!alive) {
    return Option.some(
      finding(
        "runtime-missing",
        id,
        projectId,
        `recorded as ${session.status}, but its tmux session ${session.runtimeHandle} is gone (the worktree is still there)`,
        `restart the agent with: ao session restore ${id} (or end it with: ao session kill ${id})`
      )
    )
  }
  if (!workspaceExists) {
    return Option.some(
      finding(
        "workspace-missing",
        id,
        projectId,
        `its agent runs in tmux, but its worktree ${workspacePath} is gone`,
        `end it with: ao session kill ${id}, then rebuild it with: ao session restore ${id} --recreate`
      )
    )
  }
  return Option.none()
}

/**
 * `ao doctor`: compares the records with reality and reports every drift,
 * each with what `--fix` would do or why it is left to a person. It only
 * reads. Reality is listed before the records, because ao writes a record
 * before it creates a worktree or a tmux session: a session spawned
 * meanwhile is then never taken for an orphan.
 */
export const diagnose = Effect.fn("Doctor.diagnose")(function* () {
  const projects = yield* Effect.flatMap(Projects, (configured) => configured.list)
  const store = yield* SessionStore
  const workspace = yield* Workspace
  const tracker = yield* Tracker
  const findings: Array<DoctorFinding> = []

  const listed = yield* Effect.either(Effect.flatMap(Runtime, (runtime) => runtime.list))
  const runtime: RuntimeView = Either.match(listed, {
    onLeft: (error) => {
      findings.push(toolFinding("tmux", error))
      return Option.none()
    },
    onRight: (sessions) => Option.some(new Map(sessions.map((info) => [info.name, info] as const)))
  })
  const registered = new Map<string, ReadonlyArray<RegisteredWorktree>>()
  const interrupted = new Map<string, ReadonlyArray<InterruptedRemoval>>()
  for (const project of projects) {
    const worktrees = yield* Effect.either(workspace.list(project.path))
    if (Either.isRight(worktrees)) registered.set(project.id, worktrees.right)
    else if (!findings.some((found) => found.subject === "git")) findings.push(toolFinding("git", worktrees.left))
    const removals = yield* Effect.either(workspace.interruptedRemovals(project.path))
    if (Either.isRight(removals)) interrupted.set(project.id, removals.right)
    else findings.push(finding("tool-failed", project.path, project.id, removals.left.message, "Check that the repository's .git directory is readable, then run ao doctor again"))
  }
  // Half-removed worktrees are their own finding: never taken for a lost session, an orphan or a stale registration.
  const halfRemoved = new Set([...interrupted.values()].flatMap((removals) => removals.map((removal) => withoutTrailingSlash(removal.path))))

  const stored = yield* store.list({ includeEnded: true })
  const locks = yield* store.locks
  const liveLocks = new Set(locks.filter((lock) => !lock.stale).map((lock) => lock.id))
  const readable = stored.flatMap((entry) => (entry._tag === "Readable" ? [entry.session] : []))
  const broken = stored.flatMap((entry) => (entry._tag === "Broken" ? [entry.record] : []))
  // A session another ao process is changing right now is its business, not drift.
  const active = readable.filter((session) => !isEnded(session.status) && !liveLocks.has(session.id))

  // Each session on the server it was started on; one that cannot be asked is never judged.
  // (Asked even when the default server failed above: a session's own server may answer, or be unknown.)
  const sessionRuntimes = Option.getRight(
    yield* Effect.either(runtimeIndexOf(active.filter((session) => session.status !== "spawning")))
  )
  for (const session of active) {
    if (session.status === "spawning") {
      // Its spawner held the lock until the end; with no live holder, the spawn died half way.
      const now = yield* Effect.either(store.inspect(session.id))
      const still = Either.isRight(now) && now.right._tag === "Readable" && now.right.session.status === "spawning"
      if (still) {
        findings.push(
          finding(
            "interrupted-spawn",
            session.id,
            session.projectId,
            "ao spawn was interrupted before the session started",
            "roll the spawn back as spawn itself would: kill its tmux session, snapshot and remove its worktree, free the name",
            { _tag: "RollBackSpawn", id: session.id }
          )
        )
      }
      continue
    }
    if (Option.isNone(sessionRuntimes)) continue
    const presence = sessionRuntimes.value.presence(session.runtimeHandle, session.runtimeServer)
    if (presence._tag === "Unknown") {
      findings.push(
        finding(
          "runtime-unknown",
          session.id,
          session.projectId,
          `recorded as ${session.status}, but ${runtimeUnknownText(presence.reason)}; its agent may still be running`,
          "nothing is fixed on a guess: check that tmux server; if it is gone for good, remove its socket file and run ao doctor again"
        )
      )
      continue
    }
    if (halfRemoved.has(withoutTrailingSlash(session.workspacePath))) continue
    const workspaceExists = yield* workspace.exists(session.workspacePath)
    const sandboxGone = presence._tag === "Running" ? presence.info.sandboxGone : undefined
    if (sandboxGone !== undefined && workspaceExists) {
      // Its tmux session is there, but what its agent ran in (a container) is not: the agent cannot be running.
      findings.push(
        finding(
          "sandbox-missing",
          session.id,
          session.projectId,
          `recorded as ${session.status}, but ${sandboxGone} (its tmux session ${session.runtimeHandle} and worktree are still there)`,
          `restart the agent in a new one with: ao session restore ${session.id} (or end it with: ao session kill ${session.id})`
        )
      )
      continue
    }
    const problem = sessionFindings(session, presence._tag === "Running" && sandboxGone === undefined, workspaceExists)
    if (Option.isSome(problem)) findings.push(problem.value)
  }

  for (const record of broken) {
    const handle = record.salvage.runtimeHandle ?? record.id
    const running = Option.match(runtime, { onNone: () => true, onSome: (sessions) => sessions.has(handle) })
    findings.push(
      finding(
        "broken-record",
        record.id,
        record.salvage.projectId ?? null,
        `session file ${record.path} is unreadable: ${record.problem}`,
        running
          ? `its tmux session may still run; end it with: ao session kill ${record.id}`
          : "snapshot and remove its worktree (if any) and move the file aside to broken/",
        running || liveLocks.has(record.id) ? undefined : { _tag: "TearDownBroken", id: record.id }
      )
    )
  }

  const claimedRuntimes = new Set([
    ...active.map((session) => session.runtimeHandle),
    ...readable.filter((session) => liveLocks.has(session.id)).map((session) => session.runtimeHandle),
    ...broken.map((record) => record.salvage.runtimeHandle ?? record.id)
  ])
  const recordOf = new Map<string, Session>(readable.map((session) => [session.id, session] as const))
  for (const info of Option.match(runtime, { onNone: () => [], onSome: (sessions) => [...sessions.values()] })) {
    const project = projectNamed(projects, info.name)
    if (Option.isNone(project) || claimedRuntimes.has(info.name) || liveLocks.has(info.name)) continue
    const ended = recordOf.get(info.name)
    const why = ended === undefined ? "no session record names it" : `its session is recorded as ${ended.status}`
    findings.push(
      info.leftover !== undefined
        ? finding(
            "orphan-runtime",
            info.name,
            project.value.id,
            `${why}; left behind: ${info.leftover}`,
            "remove it, bringing any work in it back into the repository first, as kill does",
            { _tag: "KillRuntime", name: info.name }
          )
        : info.paneDead
          ? finding("orphan-runtime", info.name, project.value.id, `${why}, and its command has ended`, "kill the tmux session", {
              _tag: "KillRuntime",
              name: info.name
            })
        : finding(
            "orphan-runtime",
            info.name,
            project.value.id,
            `${why}, but a process still runs in it (${info.paneCommand} in ${info.path})`,
            ended === undefined
              ? `look at it with: tmux attach -t =${info.name}; if it is not yours to keep: tmux kill-session -t =${info.name}`
              : withoutTrailingSlash(ended.workspacePath) === withoutTrailingSlash(info.path)
                ? // Left by a restore that was interrupted after starting the agent: restoring again finishes it.
                  `finish the interrupted restore with: ao session restore ${info.name}, or end it with: ao session kill ${info.name} (its worktree is snapshotted first)`
                : `end it with: ao session kill ${info.name} (its worktree is snapshotted first), then ao session restore ${info.name} --recreate to bring the session back`
          )
    )
  }

  const claimedPaths = new Set([
    ...readable.filter((session) => !isEnded(session.status) || liveLocks.has(session.id)).map((session) => withoutTrailingSlash(session.workspacePath)),
    ...broken.flatMap((record) => (record.salvage.workspacePath === undefined ? [] : [withoutTrailingSlash(record.salvage.workspacePath)]))
  ])
  const runtimePaths = new Set(
    Option.match(runtime, { onNone: () => [], onSome: (sessions) => [...sessions.values()].map((info) => withoutTrailingSlash(info.path)) })
  )
  for (const project of projects) {
    const worktrees = registered.get(project.id)
    if (worktrees === undefined) continue
    const under = `${withoutTrailingSlash(project.worktreeDir)}/`
    for (const worktree of worktrees) {
      const path = withoutTrailingSlash(worktree.path)
      if (worktree.prunable || !path.startsWith(under) || claimedPaths.has(path) || halfRemoved.has(path)) continue
      const busy = Option.isNone(runtime) || runtimePaths.has(path)
      const on = worktree.branch === null ? "" : ` on ${worktree.branch}`
      const sessionId = sessionIdForWorktree(project, path)
      // Only a worktree ao made, whose work can all be saved, is ever removed; anything else is reported, never fixed.
      const vetted = yield* Effect.either(
        workspace.vetRemoval({ path, sessionId, repoPath: project.path, worktreeDir: project.worktreeDir })
      )
      if (Either.isLeft(vetted)) {
        findings.push(
          finding(
            "orphan-worktree",
            path,
            project.id,
            `worktree${on} with no active session record; ${vetted.left.message}`,
            vetted.left._tag === "SnapshotFailed"
              ? "save or move what is named, then run ao doctor --fix again"
              : `left alone: remove it yourself with git worktree remove ${path} if it is not needed`
          )
        )
        continue
      }
      findings.push(
        finding(
          "orphan-worktree",
          path,
          project.id,
          `worktree${on} with no active session record${busy ? "; a tmux session may be working in it" : ""}`,
          busy
            ? `end whatever runs in it, then run ao doctor --fix (its work is snapshotted before it is removed)`
            : `snapshot its work to refs/ao/snapshots/${sessionId}/ and remove it`,
          busy ? undefined : { _tag: "RemoveWorktree", path, repoPath: project.path, worktreeDir: project.worktreeDir, sessionId }
        )
      )
    }
    for (const removal of interrupted.get(project.id) ?? []) {
      // Being finished right now by whoever holds the lock.
      if (liveLocks.has(removal.sessionId)) continue
      findings.push(
        finding(
          "interrupted-removal",
          removal.path,
          project.id,
          `ao was removing this worktree of ${removal.sessionId} when it was interrupted; its work had been saved to ${snapshotRefsOf(removal.sessionId)} first, and what is left of its files is in the way of ao session restore ${removal.sessionId} --recreate`,
          `finish the removal as ao session kill ${removal.sessionId} would (nothing left there is unsaved)`,
          { _tag: "FinishRemoval", path: removal.path, repoPath: project.path, worktreeDir: project.worktreeDir, sessionId: removal.sessionId }
        )
      )
    }
    const stale = worktrees.filter((worktree) => worktree.prunable && !halfRemoved.has(withoutTrailingSlash(worktree.path)))
    if (stale.length > 0) {
      findings.push(
        finding(
          "stale-registration",
          project.path,
          project.id,
          `git still registers ${stale.length} deleted worktree${stale.length === 1 ? "" : "s"}: ${stale.map((worktree) => worktree.path).join(", ")}`,
          "forget them (git worktree prune)",
          { _tag: "Prune", repoPath: project.path }
        )
      )
    }
  }

  for (const lock of locks.filter((candidate: SessionLockInfo) => candidate.stale)) {
    findings.push(
      finding(
        "stale-lock",
        lock.id,
        null,
        lock.holderPid === null ? "its lock file is unreadable" : `its lock is held by pid ${lock.holderPid}, which is no longer running`,
        "remove the lock",
        { _tag: "ClearLock", id: lock.id }
      )
    )
  }

  const modifiedBefore = DateTime.subtract(yield* DateTime.now, { millis: Duration.toMillis(STALE_TEMPORARY_AGE) })
  for (const stray of yield* store.strayTemporaries) {
    if (stray.writerAlive || !DateTime.lessThan(stray.modifiedAt, modifiedBefore)) continue
    findings.push(
      finding(
        "stale-temporary",
        stray.path,
        null,
        `a temporary file of ${stray.bytes} bytes left by ${stray.writerPid === null ? "an ao process" : `ao process ${stray.writerPid}`}, which is no longer running: it was stopped, or the disk filled, between writing it and renaming it into place (the file it was to replace is intact)`,
        "delete it",
        { _tag: "RemoveTemporary", path: stray.path, modifiedBefore }
      )
    )
  }

  for (const project of projects.filter((candidate) => Option.isSome(hostedRepo(candidate)))) {
    const access = yield* Effect.either(tracker.checkAccess(project))
    if (Either.isLeft(access)) {
      findings.push(finding("tracker-access", project.id, project.id, access.left.reason, "Give ao a GitHub token that can read the repository"))
    }
  }

  // Only where a frontend provides the notifiers (the CLI and the API do); a use-case test may leave them out.
  const notifier = yield* Effect.serviceOption(Notifier)
  if (Option.isSome(notifier)) {
    for (const problem of yield* notifier.value.problems) {
      findings.push(finding("notifier-unavailable", problem.notifier, null, problem.detail, problem.fix))
    }
  }

  const order = (found: DoctorFinding) => DoctorFindingKind.literals.indexOf(found.kind)
  return {
    checkedAt: yield* DateTime.now,
    findings: findings.sort((a, b) => order(a) - order(b) || Order.string(a.subject, b.subject))
  } satisfies DoctorReport
})
