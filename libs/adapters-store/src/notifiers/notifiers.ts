import { spawn } from "node:child_process"
import { createHmac } from "node:crypto"
import { access } from "node:fs/promises"
import { delimiter, join } from "node:path"
import { type Notification, Notifier, type NotifierOutcome } from "@ao/domain"
import { Duration, Effect, Either, Layer, Schedule } from "effect"
import type { NotifierEntry } from "../config/config-file"
import { splitCommandLine } from "../config/command-line"

/** The header a webhook receiver checks: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export const SIGNATURE_HEADER = "x-ao-signature-256"

export const signatureOf = (secret: string, body: string): string => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`

const REQUEST_TIMEOUT = Duration.seconds(10)
const COMMAND_TIMEOUT_MS = 30_000
const DEFAULT_RETRIES = 2

export interface NotifierOptions {
  readonly entries: ReadonlyArray<NotifierEntry>
  readonly env: Readonly<Record<string, string | undefined>>
  /** Whether commands from the config may run (the user's own config, or one `ao trust` accepted). */
  readonly commandsTrusted: boolean
  /** The first pause between attempts; it doubles each time (default 1 s). */
  readonly backoff?: Duration.DurationInput
  readonly platform?: NodeJS.Platform
}

class Undelivered {
  readonly _tag = "Undelivered"
  constructor(readonly detail: string) {}
}

const payloadOf = (format: "json" | "slack" | "discord", notification: Notification): unknown => {
  const line = `${notification.title}${notification.url === null ? "" : ` ${notification.url}`}`
  switch (format) {
    case "slack":
      return { text: `${line}\n${notification.text}` }
    case "discord":
      return { content: `${line}\n${notification.text}`.slice(0, 2000) }
    case "json":
      return { event: "ao.reaction", ...notification }
  }
}

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error))

const webhook = (entry: Extract<NotifierEntry, { type: "webhook" }>, env: NotifierOptions["env"]) => (notification: Notification) =>
  Effect.gen(function* () {
    const body = JSON.stringify(payloadOf(entry.format ?? "json", notification))
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "ao-watch" }
    if (entry.secretEnv !== undefined) {
      const secret = env[entry.secretEnv]
      if (secret === undefined || secret === "") {
        return yield* Effect.fail(new Undelivered(`${entry.secretEnv} is not set: the webhook's signing key is missing`))
      }
      headers[SIGNATURE_HEADER] = signatureOf(secret, body)
    }
    const response = yield* Effect.tryPromise({
      try: (signal) => fetch(entry.url, { method: "POST", headers, body, signal }),
      catch: (error) => new Undelivered(`POST ${entry.url} failed: ${describeError(error)}`)
    }).pipe(Effect.timeoutFail({ duration: REQUEST_TIMEOUT, onTimeout: () => new Undelivered(`POST ${entry.url} took over 10 s`) }))
    if (!response.ok) return yield* Effect.fail(new Undelivered(`POST ${entry.url} answered HTTP ${response.status}`))
    return `POST ${entry.url}: HTTP ${response.status}`
  })

const runCommand = (argv: ReadonlyArray<string>, input: string) =>
  Effect.async<string, Undelivered>((resume) => {
    const [program, ...args] = argv
    if (program === undefined) return resume(Effect.fail(new Undelivered("the command is empty")))
    const child = spawn(program, args, { stdio: ["pipe", "ignore", "pipe"], timeout: COMMAND_TIMEOUT_MS })
    let stderr = ""
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < 2000) stderr += chunk
    })
    child.once("error", (error) => resume(Effect.fail(new Undelivered(`${program} could not start: ${error.message}`))))
    child.once("close", (code, signal) =>
      resume(
        code === 0
          ? Effect.succeed(`${program} exited 0`)
          : Effect.fail(new Undelivered(`${program} exited ${code ?? signal}${stderr.trim() === "" ? "" : `: ${stderr.trim().split("\n")[0]}`}`))
      )
    )
    child.stdin.on("error", () => undefined)
    child.stdin.end(input)
    return Effect.sync(() => child.kill("SIGKILL"))
  })

const onPath = (program: string, env: NotifierOptions["env"]) =>
  Effect.promise(async () => {
    for (const dir of (env["PATH"] ?? "").split(delimiter)) {
      if (dir === "") continue
      try {
        await access(join(dir, program))
        return true
      } catch {
        // not here
      }
    }
    return false
  })

/** What shows a desktop notification here: osascript on macOS, else notify-send; null when neither is installed. */
const desktopProgram = (options: NotifierOptions) =>
  Effect.gen(function* () {
    if ((options.platform ?? process.platform) === "darwin" && (yield* onPath("osascript", options.env))) return "osascript" as const
    return (yield* onPath("notify-send", options.env)) ? ("notify-send" as const) : null
  })

const desktop = (options: NotifierOptions) => (notification: Notification) =>
  Effect.gen(function* () {
    const program = yield* desktopProgram(options)
    if (program === "osascript") {
      const script = `display notification ${JSON.stringify(notification.text.slice(0, 200))} with title ${JSON.stringify(notification.title.slice(0, 100))}`
      return yield* runCommand(["osascript", "-e", script], "")
    }
    if (program === "notify-send") {
      return yield* runCommand(["notify-send", "--app-name=ao", notification.title.slice(0, 200), notification.text.slice(0, 1000)], "")
    }
    return null
  })

const nameOf = (entry: NotifierEntry): string =>
  entry.type === "webhook" ? `webhook ${new URL(entry.url).host}` : entry.type === "command" ? "command" : "desktop"

/**
 * Every configured notifier as one Notifier: each tried in turn with its own
 * retries and a doubling pause; each reports delivered, failed or skipped,
 * and none can fail the watcher. Without configuration: the desktop only.
 */
export const makeNotifier = (options: NotifierOptions) => {
  const entries: ReadonlyArray<NotifierEntry> = options.entries.length === 0 ? [{ type: "desktop" }] : options.entries
  const backoff = Duration.decode(options.backoff ?? "1 second")
  const one = (entry: NotifierEntry, notification: Notification): Effect.Effect<NotifierOutcome> => {
    const notifier = nameOf(entry)
    if (entry.kinds !== undefined && !entry.kinds.includes(notification.kind)) {
      return Effect.succeed({ notifier, result: "skipped", detail: `not configured for ${notification.kind}` })
    }
    const retries = entry.type === "desktop" ? 0 : (entry.retries ?? DEFAULT_RETRIES)
    const attempt: Effect.Effect<string | null, Undelivered> =
      entry.type === "webhook"
        ? webhook(entry, options.env)(notification)
        : entry.type === "command"
          ? options.commandsTrusted
            ? Either.match(typeof entry.command === "string" ? splitCommandLine(entry.command) : Either.right(entry.command), {
                onLeft: (problem) => Effect.fail(new Undelivered(`the command cannot be read: ${problem}`)),
                onRight: (argv) => runCommand(argv, `${JSON.stringify(notification)}\n`)
              })
            : Effect.fail(new Undelivered("not run: the config that names it is not trusted yet (run ao trust <config path>)"))
          : desktop(options)(notification)
    return attempt.pipe(
      Effect.retry({ times: retries, schedule: Schedule.exponential(backoff) }),
      Effect.match({
        onFailure: (failure): NotifierOutcome => ({ notifier, result: "failed", detail: failure.detail }),
        onSuccess: (detail): NotifierOutcome =>
          detail === null
            ? { notifier, result: "skipped", detail: "neither notify-send nor osascript is installed" }
            : { notifier, result: "delivered", detail }
      })
    )
  }
  return Notifier.of({
    notify: (notification) => Effect.forEach(entries, (entry) => one(entry, notification), { concurrency: "unbounded" }),
    // Only a desktop notifier the config names: the implicit default stays quiet on a headless machine.
    problems: Effect.gen(function* () {
      if (!options.entries.some((entry) => entry.type === "desktop") || (yield* desktopProgram(options)) !== null) return []
      const mac = (options.platform ?? process.platform) === "darwin"
      return [
        {
          notifier: "desktop",
          detail: `the desktop notifier is configured, but ${mac ? "neither osascript nor notify-send" : "notify-send"} is on PATH: its notifications are skipped`,
          fix: mac
            ? "check that /usr/bin is on PATH, or configure a webhook or command notifier instead"
            : "install notify-send (libnotify-bin on Debian and Ubuntu, libnotify on Fedora), or configure a webhook or command notifier instead"
        }
      ]
    })
  })
}

export const makeNotifierLayer = (options: NotifierOptions) => Layer.succeed(Notifier, makeNotifier(options))
