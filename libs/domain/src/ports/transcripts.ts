import { Context, type Effect, type Option } from "effect"

/**
 * The transcripts agents keep of their conversation (Claude Code gives its
 * path in every hook). How a transcript is laid out is the agent adapters'
 * business; the domain only asks for the last thing the agent said.
 */
export class Transcripts extends Context.Tag("@ao/domain/Transcripts")<
  Transcripts,
  {
    /**
     * The agent's last message in the transcript at `path`, as one line; none
     * when there is no such file, the agent keeps no transcript ao can read,
     * or the transcript holds no message yet. Reads a bounded window from the
     * end, never the whole of a long transcript; an unreadable transcript is
     * no summary, never a failure of the listing.
     */
    readonly lastMessage: (request: { readonly agent: string; readonly path: string }) => Effect.Effect<Option.Option<string>>
  }
>() {}
