import {
  AoConfig,
  DEFAULT_GITHUB_API_URL,
  DEFAULT_WATCH_REQUESTS_PER_MINUTE,
  makeReactionLedgerLayer,
  makeWatchLeaseLayer,
  resolveDataDir
} from "@ao/adapters-store"
import type { CodeReview, Notifier, ReactionLedger, WatchLease } from "@ao/domain"
import { Effect, Layer } from "effect"
import { join } from "node:path"
import type { LiveOptions } from "./live-layer"
import { makeConfiguredNotifierLayer } from "./notifier-layer"

/** What `ao watch` needs beyond the live layer. */
export type WatchServices = CodeReview | Notifier | ReactionLedger | WatchLease

/**
 * The watcher's ports: GitHub's PR/CI/review read (one GraphQL request per
 * repository), the notifiers of the nearest config (its commands run only
 * when that file is the user's own or trusted), and the ledger and lease in
 * the store, so every watcher of one store shares them.
 */
export const makeWatchLayer = (options: LiveOptions): Layer.Layer<WatchServices, never, AoConfig> => {
  const dataDir = resolveDataDir(options.env, options.homeDir, options.cwd)
  return Layer.mergeAll(
    makeReactionLedgerLayer({ dataDir }),
    makeWatchLeaseLayer({ dataDir }),
    makeConfiguredNotifierLayer({ dataDir, env: options.env }),
    Layer.unwrapEffect(
      Effect.gen(function* () {
        const config = yield* AoConfig
        const tracker = yield* Effect.promise(() => import("@ao/adapters-tracker"))
        return tracker.makeGitHubCodeReviewLayer({
          env: options.env,
          cacheDir: join(dataDir, "cache"),
          maxRequestsPerMinute: config.github.watchRequestsPerMinute ?? DEFAULT_WATCH_REQUESTS_PER_MINUTE,
          ...(config.github.apiUrl === DEFAULT_GITHUB_API_URL ? {} : { apiUrl: config.github.apiUrl })
        })
      })
    )
  )
}
