import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { DEFAULT_ENGINE_URL, resolveEngineEndpoint } from "../src/engine-endpoint"

const resolve = (configured: string | undefined, env: Record<string, string> = {}) => resolveEngineEndpoint(configured, env, "/home/u")

describe("resolveEngineEndpoint", () => {
  it("uses the project's engine, else DOCKER_HOST, else the local socket", () => {
    expect(resolve("unix:///run/a.sock", { DOCKER_HOST: "unix:///run/b.sock" })).toEqual(
      Either.right({ _tag: "Unix", url: "unix:///run/a.sock", socketPath: "/run/a.sock" })
    )
    expect(resolve(undefined, { DOCKER_HOST: "unix:///run/b.sock" })).toEqual(
      Either.right({ _tag: "Unix", url: "unix:///run/b.sock", socketPath: "/run/b.sock" })
    )
    expect(resolve(undefined, { DOCKER_HOST: "" })).toEqual(
      Either.right({ _tag: "Unix", url: DEFAULT_ENGINE_URL, socketPath: "/var/run/docker.sock" })
    )
  })

  it("reads tcp addresses, with TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH", () => {
    expect(resolve("tcp://build-1:2375")).toEqual(Either.right({ _tag: "Tcp", url: "tcp://build-1:2375", host: "build-1", port: 2375, tls: undefined }))
    expect(resolve("tcp://build-1", { DOCKER_TLS_VERIFY: "1" })).toEqual(
      Either.right({ _tag: "Tcp", url: "tcp://build-1", host: "build-1", port: 2376, tls: { certDir: "/home/u/.docker", verify: true } })
    )
    expect(resolve("tcp://[::1]:9999", { DOCKER_CERT_PATH: "/certs" })).toEqual(
      Either.right({ _tag: "Tcp", url: "tcp://[::1]:9999", host: "::1", port: 9999, tls: { certDir: "/certs", verify: false } })
    )
  })

  it("reads ssh://[user@]host[:port], from the project or DOCKER_HOST", () => {
    expect(resolve("ssh://deploy@build-1.example.com:2222")).toEqual(
      Either.right({ _tag: "Ssh", url: "ssh://deploy@build-1.example.com:2222", user: "deploy", host: "build-1.example.com", port: 2222 })
    )
    expect(resolve(undefined, { DOCKER_HOST: "ssh://[::1]" })).toEqual(
      Either.right({ _tag: "Ssh", url: "ssh://[::1]", user: undefined, host: "::1", port: undefined })
    )
  })

  it("says which forms work when the address cannot be used", () => {
    expect(Either.getLeft(resolve("unix://relative.sock"))._tag).toBe("Some")
    expect(resolve("npipe:////./pipe/docker_engine")).toEqual(
      Either.left("cannot read the engine address npipe:////./pipe/docker_engine: expected unix:///path/to/docker.sock, tcp://host:port or ssh://[user@]host[:port]")
    )
    // Nothing ssh could take for an option, nor a path or a command.
    for (const url of ["ssh://-oProxyCommand=x", "ssh://me@-host", "ssh://-me@host", "ssh://me@host/path", "ssh://me@host;rm", "ssh://me@ho st", "ssh://"]) {
      expect(Either.getOrThrowWith(Either.flip(resolve(url)), () => "")).toBe(
        `cannot read the engine address ${url}: expected ssh://[user@]host[:port] (no path, no options)`
      )
    }
    expect(Either.getOrThrowWith(Either.flip(resolve("ssh://host:0")), () => "")).toMatch(/between 1 and 65535/)
    expect(Either.getOrThrowWith(Either.flip(resolve("tcp://host:99999")), () => "")).toMatch(/between 1 and 65535/)
  })
})
