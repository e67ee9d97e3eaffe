import { AoConfig, isTrusted, makeNotifierLayer } from "@ao/adapters-store"
import type { Notifier } from "@ao/domain"
import { Effect, Layer } from "effect"

/**
 * The notifiers of the nearest config; its commands run only when that file
 * is the user's own or trusted. The watcher notifies through it, and
 * `ao doctor` asks it which configured notifier cannot run here.
 */
export const makeConfiguredNotifierLayer = (options: {
  readonly dataDir: string
  readonly env: Readonly<Record<string, string | undefined>>
}): Layer.Layer<Notifier, never, AoConfig> =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const config = yield* AoConfig
      const source = config.sources.find((entry) => entry.path === config.source)
      const commandsTrusted = source === undefined ? false : source.own || (yield* isTrusted(options.dataDir, source))
      return makeNotifierLayer({ entries: config.notifiers ?? [], env: options.env, commandsTrusted })
    })
  )
