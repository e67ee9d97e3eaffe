import {
  type ApiServer,
  type AoResult,
  createSandbox,
  type Sandbox,
  type SeededRandom,
  startApiServer
} from "@ao/e2e-harness"
import { checkInvariants, type Violation } from "./invariants"

export interface ConcurrencyOptions {
  /** `ao spawn` processes started at once. */
  readonly spawns: number
  /** `ao session kill` / `restore` / `cleanup` processes started at once, over the spawned sessions. */
  readonly mixed: number
}

export interface ConcurrencyFigures {
  readonly spawns: number
  readonly spawnsSucceeded: number
  readonly mixed: number
  /** Mixed commands by what they were and how they ended. */
  readonly outcomes: Readonly<Record<string, number>>
  /** Commands that crashed (an internal error) instead of succeeding or failing cleanly. */
  readonly defects: ReadonlyArray<string>
  readonly violations: ReadonlyArray<Violation>
  /** The same again with the HTTP API and the CLI side by side: spawns, then kills and restores. */
  readonly api: { readonly spawns: number; readonly spawnsSucceeded: number; readonly mixed: number; readonly outcomes: Readonly<Record<string, number>> }
}

const spawnedName = (stdout: string): string | undefined => /^SESSION=(\S+)$/m.exec(stdout)?.[1]

/** An `ao` run that ended without a clean message: a crash, or a stack trace on the way out. */
const isDefect = (result: { readonly exitCode: number; readonly stderr: string }): boolean =>
  (result.exitCode !== 0 && result.exitCode !== 1) || /internal error|\n\s+at .+:\d+:\d+/.test(result.stderr)

/**
 * Many `ao` processes at once on one sandbox, as terminals, scripts, cron
 * and an orchestrator do: first `spawns` spawns together, then kills,
 * restores and cleanups together over the same sessions (two commands on one
 * session on purpose). Every command must succeed or fail with a clean
 * message, and afterwards the records must match reality.
 */
export const runConcurrency = async (random: SeededRandom, options: ConcurrencyOptions): Promise<ConcurrencyFigures> => {
  const sandbox = await createSandbox({ projectId: "demo" })
  try {
    return await concurrencyIn(sandbox, random, options)
  } finally {
    await sandbox.dispose()
  }
}

const concurrencyIn = async (sandbox: Sandbox, random: SeededRandom, options: ConcurrencyOptions): Promise<ConcurrencyFigures> => {
  const defects: Array<string> = []
  const spawned = await Promise.all(Array.from({ length: options.spawns }, () => sandbox.ao(["spawn", "demo"])))
  const names: Array<string> = []
  const violations: Array<Violation> = []
  for (const result of spawned) {
    if (isDefect(result)) defects.push(`spawn: ${result.stderr}`)
    const name = spawnedName(result.stdout)
    if (result.exitCode === 0 && name !== undefined) names.push(name)
    else violations.push({ invariant: "every concurrent spawn succeeds", detail: result.stderr.trim() })
  }
  if (new Set(names).size !== names.length) {
    violations.push({ invariant: "concurrent spawns get unique names", detail: names.join(", ") })
  }
  violations.push(...(await checkInvariants(sandbox, { audit: true })))

  // Some agents crash, so restore and cleanup have work to do.
  const crashed = names.filter(() => random.next() < 0.4)
  for (const name of crashed) await sandbox.tmux(["kill-session", "-t", `=${name}`])
  const commands = Array.from({ length: options.mixed }, (_, i): ReadonlyArray<string> => {
    const kind = i % 3
    if (kind === 2) return ["session", "cleanup"]
    // Kills and restores pick from every session, so some meet each other on one name.
    const name = random.pick(kind === 0 ? names : crashed.length > 0 ? crashed : names)
    return kind === 0 ? ["session", "kill", name] : ["session", "restore", name]
  })
  const results = await Promise.all(commands.map((args) => sandbox.ao(args)))
  const outcomes: Record<string, number> = {}
  results.forEach((result, i) => {
    const command = commands[i] ?? []
    const key = `${command[1] ?? ""} exit ${result.exitCode}`
    outcomes[key] = (outcomes[key] ?? 0) + 1
    if (isDefect(result)) defects.push(`${command.join(" ")}: ${result.stderr}`)
  })
  violations.push(...(await checkInvariants(sandbox, { audit: true })))
  const server = await startApiServer(sandbox)
  try {
    const api = await apiAndCli(sandbox, server, random, options, defects, violations)
    violations.push(...(await checkInvariants(sandbox, { audit: true })))
    return { spawns: options.spawns, spawnsSucceeded: names.length, mixed: options.mixed, outcomes, defects, violations, api }
  } finally {
    await server.stop()
  }
}

type Outcome = {
  readonly via: "api" | "cli"
  readonly ok: boolean
  readonly label: string
  readonly name?: string
  /** What a failed call said: the CLI's first line of stderr, or the API's answer. */
  readonly why?: string
}

/** An API answer as an outcome; a 500 is a crash, like an internal error of the CLI. */
const viaApi = async (call: Promise<{ readonly status: number; readonly body: unknown }>, defects: Array<string>): Promise<Outcome> => {
  const answer = await call
  if (answer.status >= 500) defects.push(`api ${answer.status}: ${JSON.stringify(answer.body)}`)
  const name = (answer.body as { readonly name?: unknown } | null)?.name
  return {
    via: "api",
    ok: answer.status < 300,
    label: `api ${answer.status}`,
    ...(typeof name === "string" ? { name } : {}),
    ...(answer.status < 300 ? {} : { why: JSON.stringify(answer.body).slice(0, 300) })
  }
}

const viaCli = async (run: Promise<AoResult>, defects: Array<string>): Promise<Outcome> => {
  const result = await run
  if (isDefect(result)) defects.push(`cli: ${result.stderr}`)
  const name = spawnedName(result.stdout)
  const why = result.stderr.trim().split("\n")[0] ?? ""
  return {
    via: "cli",
    ok: result.exitCode === 0,
    label: `cli exit ${result.exitCode}`,
    ...(name === undefined ? {} : { name }),
    ...(result.exitCode === 0 ? {} : { why })
  }
}

const apiAndCli = async (
  sandbox: Sandbox,
  server: ApiServer,
  random: SeededRandom,
  options: ConcurrencyOptions,
  defects: Array<string>,
  violations: Array<Violation>
) => {
  const spawned = await Promise.all(
    Array.from({ length: options.spawns }, (_, i) =>
      i % 2 === 0 ? viaApi(server.post("/api/sessions", { project: "demo" }), defects) : viaCli(sandbox.ao(["spawn", "demo"]), defects)
    )
  )
  const names = spawned.flatMap((outcome) => (outcome.ok && outcome.name !== undefined ? [outcome.name] : []))
  if (names.length !== options.spawns) {
    violations.push({ invariant: "every concurrent spawn succeeds (API and CLI)", detail: spawned.map((outcome) => (outcome.why === undefined ? outcome.label : `${outcome.label} (${outcome.why})`)).join(", ") })
  }
  if (new Set(names).size !== names.length) violations.push({ invariant: "concurrent spawns get unique names (API and CLI)", detail: names.join(", ") })
  const crashed = names.filter(() => random.next() < 0.4)
  for (const name of crashed) await sandbox.tmux(["kill-session", "-t", `=${name}`])
  const mixed = await Promise.all(
    Array.from({ length: options.mixed }, (_, i) => {
      const name = random.pick(i % 2 === 0 ? names : crashed.length > 0 ? crashed : names)
      const action = i % 2 === 0 ? "kill" : "restore"
      return random.next() < 0.5
        ? viaApi(server.post(`/api/sessions/${name}/${action}`, {}), defects)
        : viaCli(sandbox.ao(["session", action, name]), defects)
    })
  )
  // Crashed sessions nobody restored are cleaned up, so every record has its runtime again.
  await viaCli(sandbox.ao(["session", "cleanup"]), defects)
  const outcomes: Record<string, number> = {}
  for (const outcome of mixed) outcomes[outcome.label] = (outcomes[outcome.label] ?? 0) + 1
  return { spawns: options.spawns, spawnsSucceeded: names.length, mixed: options.mixed, outcomes }
}
