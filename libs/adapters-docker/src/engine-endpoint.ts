import { Either } from "effect"
import { join } from "node:path"

/** Where the Docker engine listens when nothing says otherwise. */
export const DEFAULT_ENGINE_URL = "unix:///var/run/docker.sock"

/** TLS material for a `tcp://` engine, read from `$DOCKER_CERT_PATH` (ca.pem, cert.pem, key.pem). */
export interface EngineTls {
  readonly certDir: string
  /** Check the engine's certificate against ca.pem (DOCKER_TLS_VERIFY); without it, TLS but no check. */
  readonly verify: boolean
}

/** A parsed engine address: a unix socket, or host and port over TCP (with TLS when configured). */
export type EngineEndpoint =
  | { readonly _tag: "Unix"; readonly url: string; readonly socketPath: string }
  | { readonly _tag: "Tcp"; readonly url: string; readonly host: string; readonly port: number; readonly tls: EngineTls | undefined }
  /** Through `ssh [-p port] [user@]host docker system dial-stdio`, as the docker CLI does. */
  | { readonly _tag: "Ssh"; readonly url: string; readonly user: string | undefined; readonly host: string; readonly port: number | undefined }

/**
 * The engine a project talks to: its own `docker.engine` when configured, else
 * `$DOCKER_HOST`, else the local socket. `tcp://` uses TLS when
 * `$DOCKER_TLS_VERIFY` or `$DOCKER_CERT_PATH` is set (certificates from
 * `$DOCKER_CERT_PATH`, default ~/.docker), as the docker CLI does.
 */
export const resolveEngineEndpoint = (
  configured: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string
): Either.Either<EngineEndpoint, string> => {
  const url = configured ?? nonEmpty(env["DOCKER_HOST"]) ?? DEFAULT_ENGINE_URL
  const verify = nonEmpty(env["DOCKER_TLS_VERIFY"]) !== undefined
  const certPath = nonEmpty(env["DOCKER_CERT_PATH"])
  const tls = verify || certPath !== undefined ? { certDir: certPath ?? join(homeDir, ".docker"), verify } : undefined
  return parseEngineUrl(url, tls)
}

const nonEmpty = (value: string | undefined) => (value === undefined || value === "" ? undefined : value)

/** Reads `unix:///path` or `tcp://host:port`; anything else says which forms work. */
export const parseEngineUrl = (url: string, tls: EngineTls | undefined): Either.Either<EngineEndpoint, string> => {
  if (url.startsWith("unix://")) {
    const socketPath = url.slice("unix://".length)
    if (!socketPath.startsWith("/")) return Either.left(`the engine socket must be an absolute path: ${url}`)
    return Either.right({ _tag: "Unix", url, socketPath })
  }
  if (url.startsWith("tcp://") || url.startsWith("https://")) {
    const rest = url.slice(url.indexOf("://") + 3).replace(/\/+$/, "")
    const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(rest)
    if (match === null || match[1] === undefined) return Either.left(`cannot read the engine address ${url}: expected tcp://host:port`)
    const useTls = tls ?? (url.startsWith("https://") ? { certDir: "", verify: true } : undefined)
    const port = match[2] === undefined ? (useTls === undefined ? 2375 : 2376) : Number(match[2])
    if (port < 1 || port > 65535) return Either.left(`the engine port must be between 1 and 65535: ${url}`)
    return Either.right({ _tag: "Tcp", url, host: match[1].replace(/^\[|\]$/g, ""), port, tls: useTls })
  }
  if (url.startsWith("ssh://")) {
    // Nothing that ssh could read as an option or a shell could split: a user name, a host name or address, a port.
    const match = /^(?:([A-Za-z0-9_][A-Za-z0-9._-]{0,63})@)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9][A-Za-z0-9.-]{0,252})(?::(\d{1,5}))?\/?$/.exec(
      url.slice("ssh://".length)
    )
    if (match === null || match[2] === undefined) {
      return Either.left(`cannot read the engine address ${url}: expected ssh://[user@]host[:port] (no path, no options)`)
    }
    const port = match[3] === undefined ? undefined : Number(match[3])
    if (port !== undefined && (port < 1 || port > 65535)) return Either.left(`the engine port must be between 1 and 65535: ${url}`)
    return Either.right({ _tag: "Ssh", url, user: match[1], host: match[2].replace(/^\[|\]$/g, ""), port })
  }
  return Either.left(`cannot read the engine address ${url}: expected unix:///path/to/docker.sock, tcp://host:port or ssh://[user@]host[:port]`)
}
