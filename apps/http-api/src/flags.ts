import { InvalidInput } from "@ao/domain"
import { Effect } from "effect"
import { parseArgs } from "node:util"

export const USAGE = `Usage: ao-api [--host <address>] [--port <port>]

Serves the ao session API (JSON, server-sent events, OpenAPI at /api/openapi.json).

Options:
  --host <address>  Address to listen on (default 127.0.0.1). Anything but loopback needs AO_API_TOKEN.
  --port <port>     Port to listen on (default: the config's port, else 3000; 0 picks a free one)
  -h, --help        Show this help

Environment:
  AO_API_TOKEN          Require Authorization: Bearer <token> on every request
  AO_API_ALLOWED_HOSTS  Extra Host names to answer for, comma-separated (e.g. behind a proxy)
  AO_API_CORS_ORIGINS   Origins allowed by CORS, comma-separated (default: no CORS)
`

export interface Flags {
  readonly help: boolean
  readonly host: string | undefined
  readonly port: number | undefined
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
        options: { host: { type: "string" }, port: { type: "string" }, help: { type: "boolean", short: "h" } },
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
        port
      }))
    )
  )

/** A comma-separated list from the environment; absent or blank is empty. */
export const listFromEnv = (value: string | undefined): ReadonlyArray<string> =>
  (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
