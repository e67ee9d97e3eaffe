import { type AoConfig, type LiveServices, makeWatchLayer } from "@ao/composition-root"
import { acquireWatchLease, WatchLease, type WatchHolder, watchPass } from "@ao/domain"
import { DateTime, Duration, Effect, Option } from "effect"

const INTERVAL = Duration.seconds(30)

const say = (line: string) => Effect.sync(() => process.stderr.write(`ao-api watch: ${line}\n`))

/**
 * `ao-api --watch`: the `ao watch` loop inside the server, every 30 s. It
 * acts only while it holds the store's watch lease (otherwise it says who
 * does and asks again each interval); a failed pass is reported and the next
 * one runs, so the server never stops for it. Interrupting it gives the
 * lease back.
 */
export const serverWatcher = (options: Parameters<typeof makeWatchLayer>[0]) =>
  Effect.gen(function* () {
    const holder: WatchHolder = {
      id: crypto.randomUUID(),
      pid: process.pid,
      description: `ao-api --watch (pid ${process.pid})`,
      since: DateTime.formatIso(yield* DateTime.now)
    }
    let waitingSaid = false
    const pass = Effect.gen(function* () {
      const answer = yield* acquireWatchLease(holder)
      if (answer._tag === "Held") {
        if (!waitingSaid) yield* say(`not acting: ${answer.holder.description} holds the lead since ${answer.holder.since}; asking again every 30 s`)
        waitingSaid = true
        return INTERVAL
      }
      waitingSaid = false
      const report = yield* watchPass()
      for (const applied of report.reactions) {
        yield* say(`${applied.reaction.sessionId} ${applied.reaction.kind} ${applied.outcome}: ${applied.reaction.reason}`)
      }
      if (Option.isNone(report.rateLimit)) return INTERVAL
      const now = yield* DateTime.now
      yield* say(`${report.rateLimit.value.detail}; waiting for the reset`)
      return Option.match(report.rateLimit.value.resetAt, {
        onNone: () => INTERVAL,
        onSome: (resetAt) => Duration.max(Duration.millis(DateTime.distance(now, resetAt) + 1000), INTERVAL)
      })
    }).pipe(Effect.catchAll((error) => Effect.as(say(`pass failed: ${error.message}`), INTERVAL)))
    const loop = Effect.forever(Effect.flatMap(pass, (wait) => Effect.sleep(wait)))
    return yield* Effect.ensuring(loop, Effect.ignore(Effect.flatMap(WatchLease, (lease) => lease.release(holder.id))))
  }).pipe(Effect.provide(makeWatchLayer(options))) satisfies Effect.Effect<never, never, LiveServices | AoConfig>
