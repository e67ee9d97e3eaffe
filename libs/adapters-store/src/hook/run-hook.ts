import { homedir } from "node:os"
import { appendActivityLine } from "../activity/activity-file"
import { hookReaderFor } from "../agents/hook-readers"
import { resolveDataDir } from "../environment"

export interface HookInvocation {
  /** After `hook`: the agent, the event, and for agents that pass it so (codex) the JSON payload. */
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /** The payload an agent writes on stdin (Claude Code); undefined when stdin is a terminal. */
  readonly stdin: () => Promise<string | undefined>
  readonly now: Date
}

/** What a hook call did: `recorded`, `ignored` (nothing to say), or why it could not. */
export type HookOutcome =
  | { readonly _tag: "Recorded"; readonly state: string }
  | { readonly _tag: "Ignored"; readonly why: string }

const parsePayload = (text: string | undefined): unknown => {
  if (text === undefined || text.trim().length === 0) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * `ao hook <agent> <event> [payload]`: turns one hook call into one line of
 * the session's activity log (the session from AO_SESSION, the log under
 * AO_HOME). Plain Node on purpose: it runs on every tool call of every agent.
 * A payload that cannot be read still records what the event alone says.
 */
export const runHook = async ({ args, cwd, env, now, stdin }: HookInvocation): Promise<HookOutcome> => {
  const [agent, event, argument] = args
  if (agent === undefined || event === undefined) return { _tag: "Ignored", why: "usage: ao hook <agent> <event>" }
  const sessionId = env["AO_SESSION"]
  if (sessionId === undefined || sessionId.length === 0) return { _tag: "Ignored", why: "AO_SESSION is not set" }
  const payload = parsePayload(argument ?? (await stdin()))
  const reading = hookReaderFor(agent)(event, payload)
  if (reading === undefined) return { _tag: "Ignored", why: `${agent} ${event} says nothing about the agent's state` }
  appendActivityLine(resolveDataDir(env, homedir(), cwd), sessionId, {
    at: now.toISOString(),
    state: reading.state,
    event,
    ...(reading.detail === undefined ? {} : { detail: reading.detail }),
    ...(reading.submitted === undefined ? {} : { submitted: reading.submitted }),
    ...(reading.transcript === undefined ? {} : { transcript: reading.transcript })
  })
  return { _tag: "Recorded", state: reading.state }
}
