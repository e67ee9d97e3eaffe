import type { NonEmptyReadonlyArray } from "effect/Array"
import type { SessionStatus } from "../status"
import { CLEANUP_CRITERION_LABEL, type CleanupCriterion } from "./cleanup-criteria"

/** The lifecycle steps that change a session's recorded status. */
export type Transition =
  | { readonly _tag: "SpawnReserved" }
  | { readonly _tag: "SpawnStarted" }
  | { readonly _tag: "Kill" }
  | { readonly _tag: "Cleanup"; readonly criteria: NonEmptyReadonlyArray<CleanupCriterion> }
  | { readonly _tag: "Restore" }

export interface StatusChange {
  readonly status: SessionStatus
  readonly statusReason: string
}

/**
 * The status each step records and the reason a user reads. Cleanup marks
 * finished work `done` and a session it removed only because its runtime
 * died `killed`: nobody can tell whether that work was finished.
 */
export const statusAfter = (transition: Transition): StatusChange => {
  switch (transition._tag) {
    case "SpawnReserved":
      return { status: "spawning", statusReason: "reserved by ao spawn" }
    case "SpawnStarted":
      return { status: "working", statusReason: "spawned" }
    case "Kill":
      return { status: "killed", statusReason: "killed by ao session kill" }
    case "Cleanup": {
      const finished = transition.criteria.find((criterion) => criterion !== "runtime-dead")
      return finished === undefined
        ? { status: "killed", statusReason: `cleanup: ${CLEANUP_CRITERION_LABEL["runtime-dead"]}` }
        : { status: "done", statusReason: `cleanup: ${CLEANUP_CRITERION_LABEL[finished]}` }
    }
    case "Restore":
      return { status: "working", statusReason: "restored" }
  }
}
