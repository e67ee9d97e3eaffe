import { makeLiveLayer, makeWatchLayer } from "@ao/composition-root"
import { acquireWatchLease, type AppliedReaction, type DomainError, WatchLease, type WatchHolder, watchPass, type WatchPassReport } from "@ao/domain"
import { Console, DateTime, Duration, Effect, Layer, Option } from "effect"
import { randomUUID } from "node:crypto"
import { CommandFailed } from "../command-failed"
import { cli, reportFailure } from "./run-use-case"
import { usageError } from "./usage-error"

const USAGE = "ao watch [--interval 30s] [--once] [--wait] [--project <id>] [--json]"

export interface WatchInput {
  readonly interval: string
  readonly once: boolean
  readonly wait: boolean
  readonly project: Option.Option<string>
  readonly json: boolean
}

/** `30s`, `2m`, `1h`, `500ms` or a number of seconds; at least one second between passes. */
export const parseInterval = (text: string): Option.Option<Duration.Duration> => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (match === null) return Option.none()
  const value = Number(match[1])
  const millis = value * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? "s") as "ms" | "s" | "m" | "h"]
  return millis >= 1000 ? Option.some(Duration.millis(millis)) : Option.none()
}

const clock = (at: DateTime.Utc) => DateTime.formatIso(at).slice(11, 19)

const describeReaction = (applied: AppliedReaction) =>
  `${applied.reaction.sessionId}  ${applied.reaction.kind}  ${applied.outcome}: ${applied.reaction.reason}${applied.detail === "" ? "" : ` (${applied.detail})`}`

const reactionJson = (applied: AppliedReaction) => ({
  sessionId: applied.reaction.sessionId,
  projectId: applied.reaction.projectId,
  kind: applied.reaction.kind,
  trigger: applied.reaction.trigger,
  reason: applied.reaction.reason,
  outcome: applied.outcome,
  detail: applied.detail,
  notifiers: applied.notifiers
})

const printPass = (report: WatchPassReport, json: boolean) =>
  json
    ? Console.log(
        JSON.stringify({
          at: DateTime.formatIso(report.at),
          sessions: report.sessions,
          reactions: report.reactions.map(reactionJson),
          warnings: report.warnings,
          rateLimitedUntil: Option.getOrNull(Option.map(Option.flatMap(report.rateLimit, (limit) => limit.resetAt), DateTime.formatIso))
        })
      )
    : Effect.gen(function* () {
        const time = clock(report.at)
        for (const applied of report.reactions) yield* Console.log(`${time}  ${describeReaction(applied)}`)
        for (const warning of report.warnings) yield* Console.error(`${time}  warning: ${warning}`)
        if (report.reactions.length === 0) {
          yield* Console.error(`${time}  watched ${report.sessions} session${report.sessions === 1 ? "" : "s"}: nothing to do`)
        }
      })

/** How long to wait before the next pass: until a rate limit resets, else the interval. */
const pause = (report: WatchPassReport, interval: Duration.Duration, json: boolean) =>
  Effect.gen(function* () {
    if (Option.isNone(report.rateLimit)) return interval
    const limit = report.rateLimit.value
    const now = yield* DateTime.now
    const wait = Option.match(limit.resetAt, {
      onNone: () => interval,
      onSome: (resetAt) => Duration.max(Duration.millis(DateTime.distance(now, resetAt) + 1000), interval)
    })
    if (!json) {
      yield* Console.error(
        `${clock(now)}  ${limit.detail}; nothing from GitHub was acted on. Waiting ${Duration.format(Duration.millis(Math.round(Duration.toMillis(wait) / 1000) * 1000))} before the next pass.`
      )
    }
    return wait
  })

const heldMessage = (holder: WatchHolder) => `${holder.description} holds the lead of this store since ${holder.since}`

/** Takes the lead, or waits for it with --wait; without --wait a second watcher says who leads and exits 1. */
const lead = (holder: WatchHolder, input: WatchInput) =>
  Effect.gen(function* () {
    let told = false
    for (;;) {
      const answer = yield* acquireWatchLease(holder)
      if (answer._tag === "Acquired") return
      if (!input.wait) {
        yield* Console.error(`Not watching: ${heldMessage(answer.holder)}.`)
        yield* Console.error("Only one watcher acts per store. Run with --wait to take over when it stops.")
        return yield* new CommandFailed({ exitCode: 1 })
      }
      if (!told) yield* Console.error(`Waiting: ${heldMessage(answer.holder)}.`)
      told = true
      yield* Effect.sleep("2 seconds")
    }
  })

/**
 * `ao watch`: one pass per interval (or one with --once) while holding the
 * store's watch lease; the lease is given back when it ends (Ctrl-C too).
 */
export const watch = (input: WatchInput) =>
  Effect.gen(function* () {
    const interval = parseInterval(input.interval)
    if (Option.isNone(interval)) {
      return yield* usageError(`--interval ${JSON.stringify(input.interval)} is not a duration of at least 1 s (like 30s, 2m, 1h).`, USAGE)
    }
    const mode = { json: input.json, action: "watch" }
    const options = { cwd: cli.cwd, env: cli.env, homeDir: cli.homeDir, actor: `watch:${process.pid}`, aoCommand: cli.aoCommand }
    const live = makeLiveLayer(options)
    const layer = makeWatchLayer(options).pipe(Layer.provideMerge(live))
    const holder: WatchHolder = {
      id: randomUUID(),
      pid: process.pid,
      description: `ao watch (pid ${process.pid})`,
      since: DateTime.formatIso(yield* DateTime.now)
    }
    const projectId = Option.getOrUndefined(input.project)
    const loop = Effect.gen(function* () {
      yield* lead(holder, input)
      for (;;) {
        const report = yield* watchPass(projectId === undefined ? {} : { projectId })
        yield* printPass(report, input.json)
        if (input.once) return
        yield* Effect.sleep(yield* pause(report, interval.value, input.json))
        // Renewed each pass: a watcher that lost the lead (its file removed by hand) stops acting.
        const still = yield* acquireWatchLease(holder)
        if (still._tag === "Held") {
          yield* Console.error(`Stopped watching: ${heldMessage(still.holder)}.`)
          return yield* new CommandFailed({ exitCode: 1 })
        }
      }
    })
    const released = Effect.ensuring(
      loop,
      Effect.ignore(Effect.flatMap(WatchLease, (lease) => lease.release(holder.id)))
    )
    return yield* released.pipe(
      Effect.provide(layer),
      Effect.catchAll((error: DomainError | CommandFailed) =>
        error._tag === "CommandFailed" ? Effect.fail(error) : reportFailure(mode)(error)
      )
    )
  })
