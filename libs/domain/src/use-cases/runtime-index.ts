import { Effect, Option } from "effect"
import { Runtime, type RuntimeError, type RuntimeServerListing, type RuntimeSessionInfo } from "../ports/runtime"
import type { RuntimeServer } from "../runtime-server"

/** Whether a session's runtime runs, by what its own server said. */
export type RuntimePresence =
  | { readonly _tag: "Running"; readonly info: RuntimeSessionInfo }
  | { readonly _tag: "Absent" }
  /** Its server could not be asked and is not shown dead: the agent may be running. */
  | { readonly _tag: "Unknown"; readonly reason: string }

/** What a runtime index needs to know of a session: its handle and the server it was started on. */
export interface RuntimeAddressed {
  readonly runtimeHandle: string
  readonly runtimeServer?: RuntimeServer | undefined
}

/** Every runtime session by server and name, from ONE listing call per distinct server. */
export interface RuntimeIndex {
  readonly presence: (name: string, server?: RuntimeServer) => RuntimePresence
  /** The session when it runs; None when it is absent or unknown. */
  readonly find: (name: string, server?: RuntimeServer) => Option.Option<RuntimeSessionInfo>
  /** Every runtime session's name on the servers asked, ao's or not. */
  readonly names: ReadonlyArray<string>
}

/** "runtime unknown: …", the words every command uses for a server it could not ask. */
export const runtimeUnknownText = (reason: string): string => `runtime unknown: ${reason}`

const keyOf = (server: RuntimeServer | undefined): string => server?.address ?? ""

/**
 * Lists every server `sessions` were started on, each once, and the default
 * server when a session recorded none (or none are given).
 */
export const runtimeIndexOf = (
  sessions: ReadonlyArray<RuntimeAddressed>
): Effect.Effect<RuntimeIndex, RuntimeError, Runtime> =>
  Effect.gen(function* () {
    const servers = new Map<string, RuntimeServer | undefined>()
    if (sessions.length === 0) servers.set("", undefined)
    for (const session of sessions) {
      if (!servers.has(keyOf(session.runtimeServer))) servers.set(keyOf(session.runtimeServer), session.runtimeServer)
    }
    const requested = [...servers.values()]
    const listings = yield* Effect.flatMap(Runtime, (runtime) => runtime.listServers(requested))
    const byServer = new Map<string, { listing: RuntimeServerListing; byName: ReadonlyMap<string, RuntimeSessionInfo> }>()
    requested.forEach((server, index) => {
      const listing = listings[index] ?? { _tag: "Dead" }
      const byName = new Map(listing._tag === "Listed" ? listing.sessions.map((info) => [info.name, info] as const) : [])
      byServer.set(keyOf(server), { listing, byName })
    })
    const presence = (name: string, server?: RuntimeServer): RuntimePresence => {
      const found = byServer.get(keyOf(server))
      if (found === undefined) return { _tag: "Absent" }
      if (found.listing._tag === "Unknown") return { _tag: "Unknown", reason: found.listing.reason }
      const info = found.byName.get(name)
      return info === undefined ? { _tag: "Absent" } : { _tag: "Running", info }
    }
    return {
      presence,
      find: (name, server) => {
        const found = presence(name, server)
        return found._tag === "Running" ? Option.some(found.info) : Option.none()
      },
      names: [...new Set([...byServer.values()].flatMap(({ byName }) => [...byName.keys()]))]
    } satisfies RuntimeIndex
  })

/** The default server only. */
export const runtimeIndex: Effect.Effect<RuntimeIndex, RuntimeError, Runtime> = runtimeIndexOf([])
