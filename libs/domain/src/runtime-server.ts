import { Schema } from "effect"

/**
 * The runtime server a session was started on (for tmux: its socket and the
 * server's pid), recorded so every later command talks to that server
 * whatever the caller's environment says.
 */
export class RuntimeServer extends Schema.Class<RuntimeServer>("RuntimeServer")({
  /** Where the server is reached (the tmux socket path). */
  address: Schema.NonEmptyString,
  /** The server's process, to tell a dead server from one that does not answer. */
  pid: Schema.Int.pipe(Schema.positive())
}) {}
