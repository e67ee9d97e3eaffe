import { StoreFailed } from "@ao/domain"
import { Effect } from "effect"
import type { DiskError } from "./disk"

/** Translates a file-system failure into the store's user-facing error. */
export const asStoreFailed = <A, E, R>(effect: Effect.Effect<A, E | DiskError, R>) =>
  Effect.catchIf(
    effect,
    (error): error is DiskError => typeof error === "object" && error !== null && "_tag" in error && error._tag === "DiskError",
    (error) => Effect.fail(new StoreFailed({ operation: error.operation, path: error.path, detail: error.detail }))
  )
