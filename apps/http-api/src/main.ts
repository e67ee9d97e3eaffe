import { activityDirectory, AoConfig, eventLogFile, makeLiveLayer, makeWatchLayer } from "@ao/composition-root"
import { resolveAoCommand } from "./ao-command"
import { type DomainError, hintOf } from "@ao/domain"
import { Cause, Effect, Either, Exit, Fiber, Layer, ManagedRuntime, Option } from "effect"
import { homedir } from "node:os"
import { fileURLToPath } from "node:url"
import { accessPolicy } from "./access"
import { PrReviewsLive } from "./pr-reviews"
import { listFromEnv, parseFlags, reviewTtlFromEnv, streamLimitsFromEnv, USAGE } from "./flags"
import { startServer } from "./server"
import { serverWatcher } from "./watcher"

const DEFAULT_HOST = "127.0.0.1"

const exitWith = (error: DomainError): never => {
  const hint = hintOf(error)
  process.stderr.write(`ao-api: ${error.message}\n${hint === undefined ? "" : `${hint}\n`}`)
  process.exit(1)
}

const main = async () => {
  const flags = await Effect.runPromise(Effect.either(parseFlags(process.argv.slice(2))))
  if (Either.isLeft(flags)) {
    process.stderr.write(`${USAGE}\n`)
    return exitWith(flags.left)
  }
  if (flags.right.help) return void process.stdout.write(USAGE)

  const env = process.env
  const host = flags.right.host ?? DEFAULT_HOST
  const access = await Effect.runPromise(
    Effect.either(
      accessPolicy({
        host,
        token: env["AO_API_TOKEN"] === "" ? undefined : env["AO_API_TOKEN"],
        allowedHosts: listFromEnv(env["AO_API_ALLOWED_HOSTS"]),
        allowedOrigins: listFromEnv(env["AO_API_ALLOWED_ORIGINS"])
      })
    )
  )
  if (Either.isLeft(access)) return exitWith(access.left)
  const streams = await Effect.runPromise(Effect.either(streamLimitsFromEnv(env)))
  if (Either.isLeft(streams)) return exitWith(streams.left)
  const reviewTtl = await Effect.runPromise(Effect.either(reviewTtlFromEnv(env)))
  if (Either.isLeft(reviewTtl)) return exitWith(reviewTtl.left)

  // Agents spawned here report through their hooks, as the CLI's do.
  const aoCommand = resolveAoCommand({ env, apiScript: process.argv[1] ?? "", nodePath: process.execPath })
  if (aoCommand === undefined) {
    process.stderr.write("ao-api: ao's CLI not found beside this server and AO_CLI not set; agents' hooks are not installed (their state comes from the screen)\n")
  }
  const hooks = aoCommand === undefined ? {} : { aoCommand }
  // Built once, here: a missing or broken config stops the start instead of failing every request.
  const whereabouts = { cwd: process.cwd(), env, homeDir: homedir(), actor: `api:${process.pid}` }
  // The cards' PR CI and review state come through the watcher's CodeReview port and reaction ledger.
  const runtime = ManagedRuntime.make(
    Layer.provideMerge(PrReviewsLive(reviewTtl.right), Layer.provideMerge(makeWatchLayer(whereabouts), makeLiveLayer({ ...whereabouts, ...hooks })))
  )
  const built = await Effect.runPromiseExit(runtime.runtimeEffect)
  if (Exit.isFailure(built)) {
    const failure = Cause.failureOption(built.cause)
    if (Option.isSome(failure)) return exitWith(failure.value)
    process.stderr.write(`ao-api: internal error\n${Cause.pretty(built.cause)}\n`)
    process.exit(1)
  }

  // --port, else the config's `port` (which defaults to 3000).
  const port = flags.right.port ?? (await runtime.runPromise(Effect.map(AoConfig, (config) => config.port)))
  const server = await startServer({
    runtime,
    host,
    port,
    access: access.right,
    streams: streams.right,
    // The dashboard is built into web/ beside this bundle (also in the installed package).
    webRoot: fileURLToPath(new URL("./web/", import.meta.url)),
    activityDir: activityDirectory({ cwd: process.cwd(), env, homeDir: homedir() }),
    eventLogFile: eventLogFile({ cwd: process.cwd(), env, homeDir: homedir() })
  })
  process.stdout.write(
    `ao-api listening on ${server.url} (dashboard at ${server.url}/)${access.right.token === undefined ? "" : " (Authorization: Bearer required)"}\n` +
      `ao-api answers for Host ${[...access.right.allowedHosts].join(", ")}; add names with AO_API_ALLOWED_HOSTS\n` +
      (server.signInUrl === undefined ? "" : `ao-api browser sign-in (works once): ${server.signInUrl}\n`)
  )
  const watcher =
    flags.right.watch === true
      ? runtime.runFork(serverWatcher({ cwd: process.cwd(), env, homeDir: homedir(), actor: `api:${process.pid}` }))
      : undefined
  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`ao-api: ${signal}, finishing in-flight requests\n`)
    // A second signal does not wait any longer.
    process.once(signal, () => process.exit(1))
    void Promise.all([server.close(), watcher === undefined ? undefined : Effect.runPromise(Fiber.interrupt(watcher))]).then(() =>
      process.exit(0)
    )
  }
  process.once("SIGTERM", stop)
  process.once("SIGINT", stop)
}

await main()
