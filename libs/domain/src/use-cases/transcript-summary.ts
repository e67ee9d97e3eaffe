import { Effect, Option } from "effect"
import { Transcripts } from "../ports/transcripts"
import type { SessionView } from "./results"

/** The agent's last message as one line, from the transcript its hooks named; none without one. */
export const transcriptSummary = Effect.fn("Sessions.transcriptSummary")(function* (view: SessionView) {
  if (Option.isNone(view.transcript)) return Option.none<string>()
  const transcripts = yield* Transcripts
  return yield* transcripts.lastMessage({ agent: view.session.agent, path: view.transcript.value })
})
