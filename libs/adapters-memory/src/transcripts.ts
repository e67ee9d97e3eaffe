import { Transcripts } from "@ao/domain"
import { Context, Effect, Layer, Option, Ref } from "effect"

export interface TranscriptMessage {
  readonly role: "user" | "assistant"
  readonly text: string
}

/** Test control: writes a transcript, as an agent would. */
export class MemoryTranscriptsControl extends Context.Tag("@ao/adapters-memory/MemoryTranscriptsControl")<
  MemoryTranscriptsControl,
  { readonly write: (path: string, messages: ReadonlyArray<TranscriptMessage>) => Effect.Effect<void> }
>() {}

/**
 * Transcripts in memory, keyed by path. Only the agents in `readable` keep a
 * transcript ao can read (the disk adapter: those whose adapter parses one).
 */
export const MemoryTranscripts = {
  layer: (readable: ReadonlyArray<string> = ["claude"]): Layer.Layer<Transcripts | MemoryTranscriptsControl> =>
    Layer.effectContext(
      Effect.map(Ref.make<ReadonlyMap<string, ReadonlyArray<TranscriptMessage>>>(new Map()), (files) =>
        Context.make(
          Transcripts,
          Transcripts.of({
            lastMessage: ({ agent, path }) =>
              Effect.map(Ref.get(files), (current) =>
                Option.filter(
                  Option.map(
                    Option.fromNullable(
                      readable.includes(agent) ? current.get(path)?.findLast((message) => message.role === "assistant") : undefined
                    ),
                    (message) => message.text.replace(/\s+/g, " ").trim()
                  ),
                  (line) => line.length > 0
                )
              )
          })
        ).pipe(
          Context.add(MemoryTranscriptsControl, {
            write: (path, messages) => Ref.update(files, (current) => new Map([...current, [path, messages]]))
          })
        )
      )
    )
}
