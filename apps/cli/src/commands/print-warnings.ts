import type { LookupWarning } from "@ao/domain"
import { Console, Effect } from "effect"
import { warningLines } from "../render/warnings"

/** Prints the warnings on stderr; the main result and the exit code stay what they are. */
export const printWarnings = (warnings: ReadonlyArray<LookupWarning>, json: boolean): Effect.Effect<void> =>
  Effect.forEach(warningLines(warnings, json), (line) => Console.error(line), { discard: true })
