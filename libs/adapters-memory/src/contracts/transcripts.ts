import { describe, expect, it } from "@effect/vitest"
import { Transcripts } from "@ao/domain"
import { Effect, type Layer, Option } from "effect"

export interface TranscriptMessage {
  readonly role: "user" | "assistant"
  readonly text: string
}

/**
 * What every Transcripts must do. `fresh` builds one and a way to write a
 * transcript as Claude Code would (the disk one: its JSON lines in a file),
 * returning the transcript's path.
 */
export const transcriptsContract = (
  name: string,
  fresh: () => Promise<{
    readonly layer: Layer.Layer<Transcripts, unknown>
    readonly write: (messages: ReadonlyArray<TranscriptMessage>) => Promise<string>
    readonly missing: string
  }>
) =>
  describe(`Transcripts contract: ${name}`, () => {
    const lastMessage = (layer: Layer.Layer<Transcripts, unknown>, agent: string, path: string) =>
      Effect.provide(Effect.flatMap(Transcripts, (transcripts) => transcripts.lastMessage({ agent, path })), layer)

    it.live("the agent's last message, as one line", () =>
      Effect.gen(function* () {
        const { layer, write } = yield* Effect.promise(fresh)
        const path = yield* Effect.promise(() =>
          write([
            { role: "user", text: "fix the login form" },
            { role: "assistant", text: "Looking at the form." },
            { role: "user", text: "and add a test" },
            { role: "assistant", text: "Fixed the login form.\n\nAdded a test   for it." }
          ])
        )
        expect(yield* lastMessage(layer, "claude", path)).toEqual(Option.some("Fixed the login form. Added a test for it."))
      })
    )

    it.live("none without a transcript, before the agent said anything, or for an agent whose transcript ao cannot read", () =>
      Effect.gen(function* () {
        const { layer, missing, write } = yield* Effect.promise(fresh)
        expect(yield* lastMessage(layer, "claude", missing)).toEqual(Option.none())
        const onlyPrompt = yield* Effect.promise(() => write([{ role: "user", text: "fix it" }]))
        expect(yield* lastMessage(layer, "claude", onlyPrompt)).toEqual(Option.none())
        const said = yield* Effect.promise(() => write([{ role: "assistant", text: "Done." }]))
        expect(yield* lastMessage(layer, "my-script", said)).toEqual(Option.none())
      })
    )
  })
