import { Context, Data, Effect, Layer } from "effect"
import { readFile } from "node:fs/promises"
import { request as httpRequest, type IncomingMessage } from "node:http"
import { request as httpsRequest, type RequestOptions as TlsRequestOptions } from "node:https"
import { join } from "node:path"
import type { Readable, Writable } from "node:stream"
import type { EngineEndpoint } from "./engine-endpoint"
import { sshConnection } from "./ssh-transport"

/** The Engine API version ao speaks: Docker 20.10 and every later engine serve it. */
export const API_VERSION = "v1.41"

/** No engine answered at the address: not running, wrong address, or no permission on the socket. */
export class EngineUnreachable extends Data.TaggedError("EngineUnreachable")<{
  readonly url: string
  readonly detail: string
  readonly cause: unknown
}> {
  override get message() {
    return `no Docker engine answers at ${this.url}: ${this.detail}`
  }
}

/** The engine answered with an error status; `reason` is the engine's own message. */
export class EngineRefused extends Data.TaggedError("EngineRefused")<{
  readonly url: string
  readonly method: string
  readonly path: string
  readonly status: number
  readonly reason: string
}> {
  override get message() {
    return `the Docker engine at ${this.url} refused ${this.method} ${this.path} (${this.status}): ${this.reason}`
  }
}

export type EngineFailure = EngineUnreachable | EngineRefused

/** One container as the list call returns it (only the fields ao reads). */
export interface ContainerSummary {
  readonly Id: string
  readonly Names: ReadonlyArray<string>
  readonly State: string
  /** Seconds since the epoch. */
  readonly Created: number
  readonly Labels: Readonly<Record<string, string>>
}

/** The body of `POST /containers/create` (only the fields ao sets). */
export interface ContainerCreateBody {
  readonly Image: string
  readonly Cmd: ReadonlyArray<string>
  readonly User: string
  readonly WorkingDir: string
  readonly Env: ReadonlyArray<string>
  readonly Labels: Readonly<Record<string, string>>
  readonly HostConfig: {
    readonly Binds: ReadonlyArray<string>
    readonly NetworkMode: string
    readonly NanoCpus?: number
    readonly Memory?: number
    readonly Init: boolean
  }
}

/** A named volume as the engine describes it (only the fields ao reads). */
export interface VolumeSummary {
  readonly Name: string
  readonly Labels: Readonly<Record<string, string>> | null
}

/** A wedged engine must not hang ao forever. */
const REQUEST_TIMEOUT_MS = 30_000

/** The thin client: the few Engine API calls ao makes, typed. The Runtime mapping sits on top. */
export class DockerEngine extends Context.Tag("@ao/adapters-docker/DockerEngine")<
  DockerEngine,
  {
    readonly url: string
    readonly ping: Effect.Effect<void, EngineFailure>
    /** Every container (running or not) carrying all of `labels`: ONE call. */
    readonly listContainers: (labels: Readonly<Record<string, string>>) => Effect.Effect<ReadonlyArray<ContainerSummary>, EngineFailure>
    readonly createContainer: (name: string, body: ContainerCreateBody) => Effect.Effect<string, EngineFailure>
    readonly startContainer: (id: string) => Effect.Effect<void, EngineFailure>
    /** Removes the container, stopping it first; false when there was none. */
    readonly removeContainer: (id: string) => Effect.Effect<boolean, EngineFailure>
    /** Whether the engine holds the image (no pull: ao never downloads images). */
    readonly hasImage: (image: string) => Effect.Effect<boolean, EngineFailure>
    /** Whether a container of that name or id exists (running or not). */
    readonly containerExists: (id: string) => Effect.Effect<boolean, EngineFailure>
    /** The named volume; none when there is no such volume. */
    readonly inspectVolume: (name: string) => Effect.Effect<VolumeSummary | undefined, EngineFailure>
    /** Every named volume carrying all of `labels`: ONE call. */
    readonly listVolumes: (labels: Readonly<Record<string, string>>) => Effect.Effect<ReadonlyArray<VolumeSummary>, EngineFailure>
    readonly createVolume: (name: string, labels: Readonly<Record<string, string>>) => Effect.Effect<void, EngineFailure>
    /** Removes the volume; false when there was none. Fails while a container uses it. */
    readonly removeVolume: (name: string) => Effect.Effect<boolean, EngineFailure>
    /** Extracts the tar `body` streams into directory `path` of the container (its volumes included). */
    readonly putArchive: (id: string, path: string, body: () => Readable) => Effect.Effect<void, EngineFailure>
    /** Streams a tar of `path` in the container (a directory comes as one top entry of its own name) into `sink`, and waits until it has all of it. */
    readonly getArchive: (id: string, path: string, sink: () => Writable) => Effect.Effect<void, EngineFailure>
  }
>() {
  static readonly layer = (endpoint: EngineEndpoint): Layer.Layer<DockerEngine> =>
    Layer.sync(DockerEngine, () => makeDockerEngine(endpoint))
}

interface Answer {
  readonly status: number
  readonly body: string
}

const tlsOptions = (endpoint: EngineEndpoint) =>
  Effect.tryPromise({
    try: async (): Promise<TlsRequestOptions> => {
      if (endpoint._tag === "Unix") return { socketPath: endpoint.socketPath }
      // One ssh child per request: its stdio is the connection (the engine closes it after the answer).
      if (endpoint._tag === "Ssh") return { host: "docker", createConnection: () => sshConnection(endpoint, endpoint.url) }
      const base = { host: endpoint.host, port: endpoint.port }
      if (endpoint.tls === undefined) return base
      const { certDir, verify } = endpoint.tls
      if (certDir === "") return { ...base, rejectUnauthorized: verify }
      const read = (file: string) => readFile(join(certDir, file))
      const [ca, cert, key] = await Promise.all([read("ca.pem"), read("cert.pem"), read("key.pem")])
      return { ...base, ca, cert, key, rejectUnauthorized: verify }
    },
    catch: (cause) =>
      new EngineUnreachable({
        url: endpoint.url,
        detail: `cannot read the TLS certificates (ca.pem, cert.pem, key.pem): ${(cause as Error).message}; set DOCKER_CERT_PATH to their directory`,
        cause
      })
  })

const unreachableDetail = (cause: NodeJS.ErrnoException, endpoint: EngineEndpoint): string => {
  switch (cause.code) {
    case "ENOENT":
      return "the socket does not exist; start dockerd, or point DOCKER_HOST (or the project's docker.engine) at a running engine"
    case "ECONNREFUSED":
      return "connection refused; start dockerd, or point DOCKER_HOST (or the project's docker.engine) at a running engine"
    case "EACCES":
      return endpoint._tag === "Unix"
        ? `permission denied on ${endpoint.socketPath}; add your user to the socket's group (usually docker) or use another engine`
        : "permission denied"
    case "ETIMEDOUT":
      return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`
    default:
      return cause.message
  }
}

/** One request to the Engine API at its pinned version, with the client's timeout. */
const requestOptions = (
  connection: TlsRequestOptions,
  method: string,
  path: string,
  signal: AbortSignal,
  headers: Record<string, string | number>
): TlsRequestOptions => ({ ...connection, method, path: `/${API_VERSION}${path}`, signal, timeout: REQUEST_TIMEOUT_MS, headers })

const makeDockerEngine = (endpoint: EngineEndpoint) => {
  const send = (method: string, path: string, body?: unknown) =>
    Effect.flatMap(tlsOptions(endpoint), (connection) =>
      Effect.async<Answer, EngineUnreachable>((resume, signal) => {
        const payload = body === undefined ? undefined : JSON.stringify(body)
        const options = requestOptions(connection, method, path, signal, payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) })
        const fail = (cause: NodeJS.ErrnoException) =>
          resume(Effect.fail(new EngineUnreachable({ url: endpoint.url, detail: unreachableDetail(cause, endpoint), cause })))
        const onAnswer = (response: IncomingMessage) => {
          const chunks: Array<Buffer> = []
          response.on("data", (chunk: Buffer) => chunks.push(chunk))
          response.on("error", fail)
          response.on("end", () => resume(Effect.succeed({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") })))
        }
        const outgoing = endpoint._tag === "Tcp" && endpoint.tls !== undefined ? httpsRequest(options, onAnswer) : httpRequest(options, onAnswer)
        outgoing.on("error", (cause: NodeJS.ErrnoException) => {
          if (!signal.aborted) fail(cause)
        })
        outgoing.on("timeout", () => outgoing.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })))
        outgoing.end(payload)
      })
    )

  /**
   * A request whose body is streamed from `body`, and whose answer, when its
   * status is `accepted`, is streamed into `sink` (any other answer is read as
   * the engine's error message). Resolves once the sink has finished.
   */
  const stream = (
    method: string,
    path: string,
    accepted: number,
    transfer: { readonly body?: () => Readable; readonly sink?: () => Writable }
  ) =>
    Effect.flatMap(tlsOptions(endpoint), (connection) =>
      Effect.async<void, EngineFailure>((resume, signal) => {
        let settled = false
        const settle = (effect: Effect.Effect<void, EngineFailure>) => {
          if (settled) return
          settled = true
          resume(effect)
        }
        const fail = (cause: NodeJS.ErrnoException) =>
          settle(Effect.fail(new EngineUnreachable({ url: endpoint.url, detail: unreachableDetail(cause, endpoint), cause })))
        const options = requestOptions(connection, method, path, signal, transfer.body === undefined ? {} : { "content-type": "application/x-tar" })
        const onAnswer = (response: IncomingMessage) => {
          if (response.statusCode === accepted && transfer.sink !== undefined) {
            const sink = transfer.sink()
            sink.on("error", fail)
            sink.on("finish", () => settle(Effect.void))
            response.on("error", fail)
            response.pipe(sink)
            return
          }
          const chunks: Array<Buffer> = []
          response.on("data", (chunk: Buffer) => chunks.push(chunk))
          response.on("error", fail)
          response.on("end", () => {
            const answer = { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }
            settle(
              answer.status === accepted
                ? Effect.void
                : Effect.fail(new EngineRefused({ url: endpoint.url, method, path, status: answer.status, reason: engineReason(answer) }))
            )
          })
        }
        const outgoing = endpoint._tag === "Tcp" && endpoint.tls !== undefined ? httpsRequest(options, onAnswer) : httpRequest(options, onAnswer)
        outgoing.on("error", (cause: NodeJS.ErrnoException) => {
          if (!signal.aborted) fail(cause)
        })
        outgoing.on("timeout", () => outgoing.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })))
        if (transfer.body === undefined) {
          outgoing.end()
          return
        }
        const body = transfer.body()
        body.on("error", (cause: NodeJS.ErrnoException) => {
          outgoing.destroy(cause)
          fail(cause)
        })
        body.pipe(outgoing)
      })
    )

  /** Sends, and fails with the engine's own message unless the status is one of `accepted`. */
  const call = (method: string, path: string, accepted: ReadonlyArray<number>, body?: unknown) =>
    Effect.flatMap(send(method, path, body), (answer) =>
      accepted.includes(answer.status)
        ? Effect.succeed(answer)
        : Effect.fail(new EngineRefused({ url: endpoint.url, method, path, status: answer.status, reason: engineReason(answer) }))
    )

  const parse = <A>(method: string, path: string, answer: Answer): Effect.Effect<A, EngineRefused> =>
    Effect.try({
      try: () => JSON.parse(answer.body) as A,
      catch: () => new EngineRefused({ url: endpoint.url, method, path, status: answer.status, reason: `unreadable answer: ${answer.body.slice(0, 200)}` })
    })

  return DockerEngine.of({
    url: endpoint.url,
    ping: Effect.asVoid(call("GET", "/_ping", [200])).pipe(Effect.withSpan("DockerEngine.ping")),
    listContainers: Effect.fn("DockerEngine.listContainers")(function* (labels: Readonly<Record<string, string>>) {
      const filters = JSON.stringify({ label: Object.entries(labels).map(([key, value]) => `${key}=${value}`) })
      const path = `/containers/json?all=1&filters=${encodeURIComponent(filters)}`
      return yield* parse<ReadonlyArray<ContainerSummary>>("GET", path, yield* call("GET", path, [200]))
    }),
    createContainer: Effect.fn("DockerEngine.createContainer")(function* (name: string, body: ContainerCreateBody) {
      const path = `/containers/create?name=${encodeURIComponent(name)}`
      const created = yield* parse<{ readonly Id: string }>("POST", path, yield* call("POST", path, [201], body))
      return created.Id
    }),
    startContainer: Effect.fn("DockerEngine.startContainer")(function* (id: string) {
      // 304: already running.
      yield* call("POST", `/containers/${encodeURIComponent(id)}/start`, [204, 304])
    }),
    removeContainer: Effect.fn("DockerEngine.removeContainer")(function* (id: string) {
      const answer = yield* call("DELETE", `/containers/${encodeURIComponent(id)}?force=1&v=1`, [204, 404])
      return answer.status === 204
    }),
    hasImage: Effect.fn("DockerEngine.hasImage")(function* (image: string) {
      const answer = yield* call("GET", `/images/${encodeURIComponent(image)}/json`, [200, 404])
      return answer.status === 200
    }),
    containerExists: Effect.fn("DockerEngine.containerExists")(function* (id: string) {
      const answer = yield* call("GET", `/containers/${encodeURIComponent(id)}/json`, [200, 404])
      return answer.status === 200
    }),
    inspectVolume: Effect.fn("DockerEngine.inspectVolume")(function* (name: string) {
      const path = `/volumes/${encodeURIComponent(name)}`
      const answer = yield* call("GET", path, [200, 404])
      return answer.status === 404 ? undefined : yield* parse<VolumeSummary>("GET", path, answer)
    }),
    listVolumes: Effect.fn("DockerEngine.listVolumes")(function* (labels: Readonly<Record<string, string>>) {
      const filters = JSON.stringify({ label: Object.entries(labels).map(([key, value]) => `${key}=${value}`) })
      const path = `/volumes?filters=${encodeURIComponent(filters)}`
      const listed = yield* parse<{ readonly Volumes: ReadonlyArray<VolumeSummary> | null }>("GET", path, yield* call("GET", path, [200]))
      return listed.Volumes ?? []
    }),
    createVolume: Effect.fn("DockerEngine.createVolume")(function* (name: string, labels: Readonly<Record<string, string>>) {
      yield* call("POST", "/volumes/create", [201], { Name: name, Labels: labels })
    }),
    removeVolume: Effect.fn("DockerEngine.removeVolume")(function* (name: string) {
      const answer = yield* call("DELETE", `/volumes/${encodeURIComponent(name)}`, [204, 404])
      return answer.status === 204
    }),
    putArchive: (id: string, path: string, body: () => Readable) =>
      stream("PUT", `/containers/${encodeURIComponent(id)}/archive?path=${encodeURIComponent(path)}`, 200, { body }).pipe(
        Effect.withSpan("DockerEngine.putArchive")
      ),
    getArchive: (id: string, path: string, sink: () => Writable) =>
      stream("GET", `/containers/${encodeURIComponent(id)}/archive?path=${encodeURIComponent(path)}`, 200, { sink }).pipe(
        Effect.withSpan("DockerEngine.getArchive")
      )
  })
}

/** The engine's `{"message": …}`, or the raw body when it sent something else. */
const engineReason = (answer: Answer): string => {
  try {
    const parsed = JSON.parse(answer.body) as { readonly message?: unknown }
    if (typeof parsed.message === "string") return parsed.message
  } catch {
    // Not JSON: the body itself is the best explanation there is.
  }
  return answer.body.trim().slice(0, 200) || "no reason given"
}
