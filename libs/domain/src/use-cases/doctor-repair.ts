import { Effect, Either, Option } from "effect"
import type { DomainError } from "../errors"
import { Projects } from "../ports/projects"
import { Runtime } from "../ports/runtime"
import { SessionStore } from "../ports/session-store"
import { snapshotRefsOf, Workspace } from "../ports/workspace"
import type { StatusChange } from "../rules/status-transition"
import { isEnded } from "../status"
import { type DoctorFinding, type DoctorRepair, type DoctorReport, withoutTrailingSlash } from "./doctor"
import { recordEvent } from "./record-event"
import { runtimeIndex, runtimeIndexOf } from "./runtime-index"
import { markTornDown, sessionTarget, teardown, teardownBroken } from "./teardown"

export type RepairOutcome =
  | { readonly _tag: "Fixed"; readonly did: string }
  | { readonly _tag: "Skipped"; readonly reason: string }
  | { readonly _tag: "Failed"; readonly error: DomainError }

export interface DoctorRepairResult {
  readonly finding: DoctorFinding
  readonly outcome: RepairOutcome
}

const REASON = "repaired by ao doctor --fix"
const LOST: StatusChange = { status: "killed", statusReason: "ao doctor: its tmux session and worktree were gone" }
const FINISHED: StatusChange = { status: "killed", statusReason: "ao doctor: finished the removal of its worktree, which was interrupted" }

const fixed = (did: string): RepairOutcome => ({ _tag: "Fixed", did })
const skipped = (reason: string): RepairOutcome => ({ _tag: "Skipped", reason })

const snapshotNote = (ref: Option.Option<string>): string =>
  Option.match(ref, { onNone: () => "it had no uncommitted work", onSome: (saved) => `its uncommitted work is saved in ${saved}` })

/** Whether any session that is not ended still claims `path` or the runtime `name`. */
const claimedByActive = Effect.fn("Doctor.claimed")(function* (claim: { readonly path?: string; readonly runtime?: string }) {
  const stored = yield* Effect.flatMap(SessionStore, (store) => store.list({ includeEnded: false }))
  return stored.some((entry) =>
    entry._tag === "Readable"
      ? entry.session.workspacePath === claim.path || entry.session.runtimeHandle === claim.runtime
      : entry.record.salvage.workspacePath === claim.path || (entry.record.salvage.runtimeHandle ?? entry.record.id) === claim.runtime
  )
})

const apply = Effect.fn("Doctor.apply")(function* (repair: DoctorRepair) {
  const store = yield* SessionStore
  switch (repair._tag) {
    case "ClearLock":
      return (yield* store.clearStaleLock(repair.id)) ? fixed("removed the stale lock") : skipped("the lock is live again or already gone")
    case "RollBackSpawn":
      return yield* store.withLock(
        repair.id,
        Effect.gen(function* () {
          const stored = yield* store.inspect(repair.id)
          if (stored._tag !== "Readable" || stored.session.status !== "spawning") return skipped("it is no longer being spawned")
          const { session } = stored
          const workspace = yield* Workspace
          const project = yield* Effect.flatMap(Projects, (projects) => projects.get(session.projectId))
          if (yield* workspace.exists(session.workspacePath)) {
            // A spawn killed while git made its worktree never marked it as ao's; creating it again, as
            // that spawn run again would, marks the worktree at this path on this branch and nothing else.
            yield* workspace.create({
              repoPath: project.path,
              path: session.workspacePath,
              branch: session.branch,
              baseBranch: project.defaultBranch
            })
          }
          const torn = yield* teardown(sessionTarget(session, "spawn interrupted; " + REASON))
          // The branch the spawn made, while it holds no commit of its own (it still points where its base
          // does): a branch with commits, an agent's or an earlier session's, is kept.
          if (session.branch !== project.defaultBranch) {
            const base = yield* workspace.branchHead({ repoPath: project.path, branch: project.defaultBranch })
            if (Option.isSome(base)) {
              yield* workspace.deleteBranch({ repoPath: project.path, branch: session.branch, expectedHead: base.value })
            }
          }
          yield* store.remove(repair.id)
          yield* recordEvent({
            sessionId: repair.id,
            projectId: stored.session.projectId,
            kind: "spawn-rolled-back",
            reason: REASON,
            details: { undone: "runtime, worktree, record" }
          })
          return fixed(`rolled the spawn back; ${snapshotNote(torn.snapshotRef)}`)
        })
      )
    case "MarkKilled":
      return yield* store.withLock(
        repair.id,
        Effect.gen(function* () {
          const session = yield* store.get(repair.id)
          const runtime = yield* runtimeIndexOf([session])
          if (isEnded(session.status)) return skipped(`it is already ${session.status}`)
          const presence = runtime.presence(session.runtimeHandle, session.runtimeServer)
          if (presence._tag === "Unknown") return skipped(`runtime unknown: ${presence.reason}`)
          if (presence._tag === "Running") return skipped("its tmux session is back")
          if (yield* Effect.flatMap(Workspace, (workspace) => workspace.exists(session.workspacePath))) {
            return skipped("its worktree is back")
          }
          // The teardown finds nothing left to remove, but forgets git's registration of the worktree.
          const torn = yield* teardown(sessionTarget(session, LOST.statusReason))
          yield* markTornDown(session, LOST, torn, "killed")
          return fixed("marked it killed")
        })
      )
    case "TearDownBroken":
      return yield* store.withLock(
        repair.id,
        Effect.gen(function* () {
          const stored = yield* store.inspect(repair.id)
          if (stored._tag !== "Broken") return skipped("its session file is readable now")
          const runtime = yield* runtimeIndex
          if (Option.isSome(runtime.find(stored.record.salvage.runtimeHandle ?? stored.record.id))) {
            return skipped("its tmux session is running")
          }
          const torn = yield* teardownBroken(stored.record, REASON)
          return fixed(`moved the file aside${torn.worktreeRemoved ? ` and removed its worktree; ${snapshotNote(torn.snapshotRef)}` : ""}`)
        })
      )
    case "KillRuntime": {
      const runtime = yield* Runtime
      return yield* store.withLock(
        repair.name,
        Effect.gen(function* () {
          if (yield* claimedByActive({ runtime: repair.name })) return skipped("a session claims it now")
          const indexed = (yield* runtimeIndex).find(repair.name)
          // What a sandbox left behind (a volume) is not in the listing `ls` uses: only the full list has it.
          const info = Option.isSome(indexed)
            ? indexed
            : yield* Effect.map(runtime.list, (infos) =>
                Option.fromNullable(infos.find((found) => found.name === repair.name && found.leftover !== undefined))
              )
          if (Option.isNone(info)) return skipped("it is already gone")
          if (!info.value.paneDead) return skipped("a process is running in it again")
          yield* runtime.kill(repair.name)
          yield* recordEvent({ sessionId: repair.name, projectId: null, kind: "runtime-killed", reason: REASON, details: { runtime: repair.name } })
          return fixed(info.value.leftover === undefined ? "killed the tmux session" : `removed what it left behind (${info.value.leftover})`)
        })
      )
    }
    case "RemoveWorktree": {
      const workspace = yield* Workspace
      return yield* store.withLock(
        repair.sessionId,
        Effect.gen(function* () {
          if (yield* claimedByActive({ path: repair.path })) return skipped("a session claims it now")
          const removal = yield* workspace.remove({
            path: repair.path,
            sessionId: repair.sessionId,
            repoPath: repair.repoPath,
            worktreeDir: repair.worktreeDir
          })
          if (Option.isSome(removal.snapshotRef)) {
            yield* recordEvent({
              sessionId: repair.sessionId,
              projectId: null,
              kind: "snapshot-taken",
              reason: REASON,
              details: { path: repair.path, ref: removal.snapshotRef.value }
            })
          }
          if (!removal.existed) return skipped("it is already gone")
          yield* recordEvent({
            sessionId: repair.sessionId,
            projectId: null,
            kind: "worktree-removed",
            reason: REASON,
            details: { path: repair.path, ...Option.match(removal.head, { onNone: () => ({}), onSome: (head) => ({ head }) }) }
          })
          return fixed(`removed the worktree; ${snapshotNote(removal.snapshotRef)}`)
        })
      )
    }
    case "FinishRemoval": {
      const workspace = yield* Workspace
      return yield* store.withLock(
        repair.sessionId,
        Effect.gen(function* () {
          const samePath = (path: string) => withoutTrailingSlash(path) === withoutTrailingSlash(repair.path)
          const pending = yield* workspace.interruptedRemovals(repair.repoPath)
          if (!pending.some((removal) => samePath(removal.path))) return skipped("the removal is finished already")
          const stored = yield* Effect.either(store.inspect(repair.sessionId))
          const session =
            Either.isRight(stored) && stored.right._tag === "Readable" && samePath(stored.right.session.workspacePath)
              ? Option.some(stored.right.session)
              : Option.none()
          if (Option.isSome(session) && !isEnded(session.value.status)) {
            // A kill or cleanup interrupted in its removal: finish it as they would, and record the end.
            const runtime = yield* runtimeIndexOf([session.value])
            const presence = runtime.presence(session.value.runtimeHandle, session.value.runtimeServer)
            if (presence._tag === "Unknown") return skipped(`runtime unknown: ${presence.reason}`)
            if (presence._tag === "Running") return skipped(`its tmux session runs again; end it with ao session kill ${repair.sessionId}`)
            const torn = yield* teardown(sessionTarget(session.value, FINISHED.statusReason))
            yield* markTornDown(session.value, FINISHED, torn, "killed")
            return fixed(`finished the removal and marked ${repair.sessionId} killed; ao session restore ${repair.sessionId} --recreate brings it back`)
          }
          const removal = yield* workspace.remove({
            path: repair.path,
            sessionId: repair.sessionId,
            repoPath: repair.repoPath,
            worktreeDir: repair.worktreeDir,
            ...Option.match(session, { onNone: () => ({}), onSome: (ended) => ({ branch: ended.branch }) })
          })
          yield* recordEvent({
            sessionId: repair.sessionId,
            projectId: null,
            kind: "worktree-removed",
            reason: `${REASON}: finished an interrupted removal`,
            details: { path: repair.path, existed: String(removal.existed) }
          })
          return fixed(`finished the removal; its work was saved in ${snapshotRefsOf(repair.sessionId)} before it began`)
        })
      )
    }
    case "RemoveTemporary":
      return (yield* store.removeStrayTemporary({ path: repair.path, modifiedBefore: repair.modifiedBefore }))
        ? fixed("deleted the temporary file")
        : skipped("it is gone already, or a live writer may still rename it")
    case "Prune":
      yield* Effect.flatMap(Workspace, (workspace) => workspace.prune(repair.repoPath))
      return fixed("pruned the registrations of deleted worktrees")
  }
})

/** Locks first (a rollback takes the lock anyway), registrations last (removals leave none). */
const REPAIR_ORDER: ReadonlyArray<DoctorRepair["_tag"]> = [
  "ClearLock",
  "RollBackSpawn",
  "MarkKilled",
  "TearDownBroken",
  "KillRuntime",
  "RemoveWorktree",
  "FinishRemoval",
  "Prune",
  "RemoveTemporary"
]

/**
 * `ao doctor --fix`: repairs every finding that is safe to repair, each on
 * its own so one failure never stops the others, and says what it did.
 * Worktrees are only ever removed through Workspace.remove, which snapshots first.
 */
export const repair = Effect.fn("Doctor.repair")(function* (report: DoctorReport) {
  const repairable = report.findings.flatMap((found) => Option.match(found.repair, { onNone: () => [], onSome: (how) => [{ found, how }] }))
  repairable.sort((a, b) => REPAIR_ORDER.indexOf(a.how._tag) - REPAIR_ORDER.indexOf(b.how._tag))
  const results: Array<DoctorRepairResult> = []
  for (const { found, how } of repairable) {
    const outcome = yield* Effect.either(apply(how))
    results.push({
      finding: found,
      outcome: Either.match(outcome, { onLeft: (error): RepairOutcome => ({ _tag: "Failed", error }), onRight: (done) => done })
    })
  }
  return results as ReadonlyArray<DoctorRepairResult>
})
