import { agentLaunchCommand, agentResumeCommand, Project } from "@ao/domain"
import { memoryProject } from "@ao/adapters-memory/world"
import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { Effect, Option } from "effect"
import type { AgentAdapter, HookReading } from "../src/agents/agent-adapter"
import { makeAgentHooks } from "../src/agents/agent-hooks"
import { AGENT_PRESETS } from "../src/config/agent-presets"

/** A hook call as the agent makes it, and what ao must read from it. */
export interface RecordedHook {
  readonly event: string
  readonly payload: unknown
  readonly reading: HookReading | undefined
}

const HOSTILE_PROMPT = "fix it; $(touch /tmp/pwned) `id` C-c Enter\n--help"

/** Payloads no agent sends but a broken or hostile one might: a hook must never throw on them. */
const ODD_PAYLOADS: ReadonlyArray<unknown> = [undefined, null, "", "not json", 42, [], {}, { tool_name: 7, message: {}, transcript_path: ["x"] }]

/**
 * What every agent adapter must do, with the preset ao ships for it: launch
 * and resume argv (the prompt one argument, never parsed by a shell), hook
 * installation (or none), hook readings from recorded payloads, screen
 * patterns, transcript reading. Adding an agent is one adapter file plus one
 * call of this contract.
 */
export const agentAdapterContract = (
  adapter: AgentAdapter,
  recorded: {
    readonly hooks: ReadonlyArray<RecordedHook>
    /** A real linked worktree to install hooks into. */
    readonly worktree: () => Promise<string>
  }
) =>
  describe(`agent adapter contract: ${adapter.name}`, () => {
    const preset = AGENT_PRESETS.find((spec) => spec.name === adapter.name)
    const project = new Project({ ...memoryProject(), agent: preset!, agents: AGENT_PRESETS })

    it("ships as a preset whose launch takes the prompt as one argument, and whose resume runs the same program", async () => {
      expect(preset, `no preset named ${adapter.name}`).toBeDefined()
      const bare = await Effect.runPromise(agentLaunchCommand(project, Option.none(), Option.none()))
      expect(bare).toEqual({ agent: adapter.name, argv: preset!.launch })
      const prompted = await Effect.runPromise(agentLaunchCommand(project, Option.some(adapter.name), Option.some(HOSTILE_PROMPT)))
      const flag = Option.toArray(preset!.promptFlag)
      expect(prompted.argv).toEqual([...preset!.launch, ...flag, HOSTILE_PROMPT])
      const resumed = await Effect.runPromise(agentResumeCommand(project, adapter.name))
      expect(resumed.argv[0]).toBe(preset!.launch[0])
      expect(resumed.argv).not.toEqual(preset!.launch)
    })

    it(adapter.hookSettings === undefined ? "installs no hooks, and writes nothing into the worktree" : "installs its hooks into the worktree, once however often asked, kept out of git", async () => {
      const worktree = await recorded.worktree()
      const hooks = makeAgentHooks({ aoCommand: Option.some(["/usr/bin/node", "/opt/ao/bin/ao.js"]), dataDir: "/data" })
      const first = await Effect.runPromise(hooks.install({ agent: adapter.name, workspacePath: worktree }))
      const again = await Effect.runPromise(hooks.install({ agent: adapter.name, workspacePath: worktree }))
      expect(again).toEqual(first)
      expect(execFileSync("git", ["status", "--porcelain"], { cwd: worktree, encoding: "utf8" })).toBe("")
      if (adapter.hookSettings === undefined) {
        expect(first).toEqual({ installed: false })
      } else {
        expect(first).toEqual({ installed: true, file: adapter.hookSettings.file })
        expect(existsSync(join(worktree, adapter.hookSettings.file))).toBe(true)
      }
    })

    it("reads every recorded hook payload as the state it reports", () => {
      for (const { event, payload, reading } of recorded.hooks) {
        expect(adapter.hookEvents, `${event} is not among ${adapter.name}'s hook events`).toContain(event)
        expect(adapter.readHook(event, payload), `${adapter.name} ${event}`).toEqual(reading)
      }
    })

    it("never throws on a missing, malformed or hostile payload, and says nothing about an event it does not know", () => {
      for (const event of adapter.hookEvents) {
        for (const payload of ODD_PAYLOADS) {
          const reading = adapter.readHook(event, payload)
          if (reading !== undefined) {
            expect(["working", "waiting", "idle", "exited"]).toContain(reading.state)
            expect(reading.transcript).toBeUndefined()
          }
        }
      }
      expect(adapter.readHook("NoSuchEvent", {})).toBeUndefined()
    })

    it("has screen patterns for each state, and reads a transcript (if it keeps one) without throwing on garbage", () => {
      expect(adapter.screen?.waiting.length).toBeGreaterThan(0)
      expect(adapter.screen?.working.length).toBeGreaterThan(0)
      expect(adapter.screen?.idle.length).toBeGreaterThan(0)
      if (adapter.lastMessage !== undefined) {
        expect(adapter.lastMessage([])).toBeUndefined()
        expect(adapter.lastMessage(["", "{", "null", "[]", '{"type":"assistant"}', '{"type":"assistant","message":{"content":42}}'])).toBeUndefined()
      }
    })
  })
