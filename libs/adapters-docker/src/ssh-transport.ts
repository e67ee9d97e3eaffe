import { spawn } from "node:child_process"
import { Duplex, PassThrough } from "node:stream"

/** An `ssh://[user@]host[:port]` engine: reached through `ssh … docker system dial-stdio`, as the docker CLI does. */
export interface SshTarget {
  readonly user: string | undefined
  readonly host: string
  readonly port: number | undefined
}

/** The ssh argument vector (never a shell line): the destination is validated by parseEngineUrl and follows `--`. */
const destinationOf = (target: SshTarget) => (target.user === undefined ? target.host : `${target.user}@${target.host}`)

export const sshArgv = (target: SshTarget): ReadonlyArray<string> => [
  "-o",
  "BatchMode=yes",
  "-o",
  "ConnectTimeout=30",
  "-T",
  ...(target.port === undefined ? [] : ["-p", String(target.port)]),
  "--",
  destinationOf(target),
  "docker",
  "system",
  "dial-stdio"
]

/** How much of ssh's own error output a failure quotes. */
const STDERR_LIMIT = 2000

/**
 * One connection to the engine: an `ssh` child whose stdin and stdout carry
 * the HTTP exchange (the remote `docker system dial-stdio` joins them to
 * the engine's socket). Ending the connection ends the child. A failure of
 * ssh itself (not installed, refused, no key) errors the stream with
 * ssh's own words, code ESSH.
 */
export const sshConnection = (target: SshTarget, url: string): Duplex => {
  const child = spawn("ssh", [...sshArgv(target)], { stdio: ["pipe", "pipe", "pipe"] })
  let stderr = ""
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_LIMIT)
  })
  // The answer ends only once ssh has exited: a failed login then errors the stream rather than just closing it.
  const answer = new PassThrough()
  child.stdout.pipe(answer, { end: false })
  const connection = Duplex.from({ readable: answer, writable: child.stdin })
  const failWith = (detail: string) => connection.destroy(Object.assign(new Error(detail), { code: "ESSH" }))
  child.on("error", (cause: NodeJS.ErrnoException) =>
    failWith(
      cause.code === "ENOENT"
        ? "ssh is not installed (no ssh on PATH); install an OpenSSH client"
        : `could not run ssh: ${cause.message}`
    )
  )
  child.on("close", (code) => {
    if (code === 0 || code === null) answer.end()
    else {
      const said = stderr.trim().split("\n").slice(-2).join("; ")
      failWith(`ssh exited with status ${code}${said === "" ? "" : `: ${said}`}; check that \`ssh ${destinationOf(target)} docker version\` works (the engine is ${url})`)
    }
  })
  connection.on("close", () => {
    if (child.exitCode === null && child.signalCode === null) child.kill()
  })
  return connection
}
