import { InvalidInput } from "@ao/domain"
import { Effect } from "effect"
import { parseArgs } from "node:util"

export const USAGE = `Usage: ao-api [--host <address>] [--port <port>] [--watch]

Serves the ao session API (JSON, server-sent events, OpenAPI at /api/openapi.json).

Options:
  --host <address>  Address to listen on (default 127.0.0.1). Anything but loopback needs AO_API_TOKEN.
  --port <port>     Port to listen on (default: the config's port, else 3000; 0 picks a free one)
  --watch           Also run the ao watch loop (every 30 s) while this store has no other watcher
  -h, --help        Show this help

Environment:
  AO_API_TOKEN                   Require Authorization: Bearer <token> (or the browser sign-in cookie) on every
                                 request but /api/health; a one-time browser sign-in URL is printed at start
  AO_API_ALLOWED_HOSTS           Extra Host names to answer for, comma-separated (e.g. behind a proxy)
  AO_API_ALLOWED_ORIGINS         Origins besides the server's own that may send changes and read through CORS,
                                 comma-separated (default: none)
  AO_API_MAX_STREAMS             Event streams open at once, all clients together (default 256)
  AO_API_MAX_STREAMS_PER_CLIENT  Event streams open at once per client (default 64)
`

export interface Flags {
  readonly help: boolean
  readonly host: string | undefined
  readonly port: number | undefined
  readonly watch?: boolean
}

const parsePort = (text: string): Effect.Effect<number, InvalidInput> => {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN
  return port >= 0 && port <= 65535
    ? Effect.succeed(port)
    : Effect.fail(new InvalidInput({ field: "--port", input: text, reason: "expected a port number between 0 and 65535" }))
}

export const parseFlags = (argv: ReadonlyArray<string>): Effect.Effect<Flags, InvalidInput> =>
  Effect.try({
    try: () =>
      parseArgs({
        args: [...argv],
        options: { host: { type: "string" }, port: { type: "string" }, help: { type: "boolean", short: "h" }, watch: { type: "boolean" } },
        strict: true,
        allowPositionals: false
      }).values,
    catch: (error) =>
      new InvalidInput({ field: "arguments", input: argv.join(" "), reason: error instanceof Error ? error.message : String(error) })
  }).pipe(
    Effect.flatMap((values) =>
      Effect.map(values.port === undefined ? Effect.succeed(undefined) : parsePort(values.port), (port) => ({
        help: values.help === true,
        host: values.host,
        port,
        ...(values.watch === true ? { watch: true } : {})
      }))
    )
  )

const positiveFromEnv = (name: string, value: string | undefined): Effect.Effect<number | undefined, InvalidInput> => {
  if (value === undefined || value === "") return Effect.succeed(undefined)
  const count = /^\d{1,6}$/.test(value) ? Number(value) : 0
  return count > 0
    ? Effect.succeed(count)
    : Effect.fail(new InvalidInput({ field: name, input: value, reason: "expected a whole number from 1 to 999999" }))
}

/** The stream caps the environment sets; unset ones keep their defaults. */
export const streamLimitsFromEnv = (env: Readonly<Record<string, string | undefined>>) =>
  Effect.map(
    Effect.all([
      positiveFromEnv("AO_API_MAX_STREAMS", env["AO_API_MAX_STREAMS"]),
      positiveFromEnv("AO_API_MAX_STREAMS_PER_CLIENT", env["AO_API_MAX_STREAMS_PER_CLIENT"])
    ]),
    ([maxStreams, maxStreamsPerClient]) => ({
      ...(maxStreams === undefined ? {} : { maxStreams }),
      ...(maxStreamsPerClient === undefined ? {} : { maxStreamsPerClient })
    })
  )

/** How long the PR review state of a repository is reused: `AO_API_REVIEW_TTL_SECONDS`, else undefined (the default, 30 s). */
export const reviewTtlFromEnv = (env: Readonly<Record<string, string | undefined>>) =>
  Effect.map(positiveFromEnv("AO_API_REVIEW_TTL_SECONDS", env["AO_API_REVIEW_TTL_SECONDS"]), (seconds) =>
    seconds === undefined ? undefined : seconds * 1000
  )

/** A comma-separated list from the environment; absent or blank is empty. */
export const listFromEnv = (value: string | undefined): ReadonlyArray<string> =>
  (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
