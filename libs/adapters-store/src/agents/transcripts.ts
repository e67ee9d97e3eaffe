import { Transcripts } from "@ao/domain"
import { Effect, Layer, Option } from "effect"
import { stat } from "node:fs/promises"
import { readTail } from "../disk"
import { agentAdapterFor } from "./index"

/**
 * How much of a transcript's end is read: the first window holds the last
 * reply in all but odd cases (a huge tool result after it); the second is the
 * most ever read, so a transcript of any length costs at most this much.
 */
export const TRANSCRIPT_WINDOWS = [64 * 1024, 1024 * 1024] as const

/** The whole lines of a tail window, oldest first: the first is dropped when the window starts mid-file. */
const wholeLines = (window: { readonly bytes: Buffer; readonly position: number }): ReadonlyArray<string> => {
  const lines = window.bytes.toString("utf8").split("\n")
  return window.position > 0 ? lines.slice(1) : lines
}

/** Transcripts on the local disk, read from the end in bounded windows and parsed by the agent's adapter. */
export const makeTranscripts = (windows: ReadonlyArray<number> = TRANSCRIPT_WINDOWS) =>
  Transcripts.of({
    lastMessage: ({ agent, path }) => {
      const read = agentAdapterFor(agent).lastMessage
      if (read === undefined || !path.startsWith("/")) return Effect.succeed(Option.none())
      const attempt = (index: number): Effect.Effect<Option.Option<string>> => {
        const length = windows[index]
        if (length === undefined) return Effect.succeed(Option.none())
        return Effect.flatMap(
          readTail(path, length).pipe(
            // Documented on the port: an unreadable transcript is no summary.
            Effect.catchTag("DiskError", () => Effect.succeed({ bytes: Buffer.alloc(0), position: 0 }))
          ),
          (window) => {
            const found = Option.fromNullable(read(wholeLines(window)))
            // A window that reached the file's start saw all there is.
            return Option.isSome(found) || window.position === 0 ? Effect.succeed(found) : attempt(index + 1)
          }
        )
      }
      // Only a regular file is read: a FIFO or a device named as a transcript would block or never end.
      return Effect.flatMap(
        Effect.promise(() => stat(path).then((stats) => stats.isFile(), () => false)),
        (isFile) => (isFile ? attempt(0) : Effect.succeed(Option.none()))
      )
    }
  })

export const TranscriptsLive: Layer.Layer<Transcripts> = Layer.sync(Transcripts, () => makeTranscripts())
