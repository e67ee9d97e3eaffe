import { Effect, Option } from "effect"
import { Runtime, type RuntimeError, type RuntimeSessionInfo } from "../ports/runtime"

/** Every runtime session by name, from ONE listing call however many sessions there are. */
export interface RuntimeIndex {
  readonly find: (name: string) => Option.Option<RuntimeSessionInfo>
  /** Every runtime session's name, ao's or not. */
  readonly names: ReadonlyArray<string>
}

export const runtimeIndex: Effect.Effect<RuntimeIndex, RuntimeError, Runtime> = Effect.map(
  Effect.flatMap(Runtime, (runtime) => runtime.list),
  (sessions) => {
    const byName = new Map(sessions.map((info) => [info.name, info] as const))
    return { find: (name) => Option.fromNullable(byName.get(name)), names: [...byName.keys()] }
  }
)
