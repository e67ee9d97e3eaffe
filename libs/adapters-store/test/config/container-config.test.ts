import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { decodeConfig } from "../../src/config/config-decoding"

const PATH = "/work/repos/agent-orchestrator.yaml"
const decode = (text: string) => decodeConfig({ path: PATH, text, homeDir: "/home/dev" })

const project = (lines: ReadonlyArray<string>) => ["projects:", "  app:", "    path: ./app", ...lines.map((line) => `    ${line}`), ""].join("\n")

describe("runtime: docker", () => {
  it("reads the docker block: host paths absolute, memory in bytes", () => {
    const config = Either.getOrThrow(
      decode(
        project([
          "runtime: docker",
          "docker:",
          "  image: agent:1",
          "  engine: tcp://build-1:2376",
          "  mounts: ['~/.gitconfig:/tmp/.gitconfig:ro', 'cache:/cache']",
          "  env: { LANG: C.UTF-8 }",
          "  cpus: 1.5",
          "  memory: 4g",
          "  network: none"
        ])
      )
    )
    expect(config.containers).toEqual({
      app: {
        image: "agent:1",
        engine: "tcp://build-1:2376",
        mounts: [
          { source: "/home/dev/.gitconfig", target: "/tmp/.gitconfig", readOnly: true },
          { source: "/work/repos/cache", target: "/cache", readOnly: false }
        ],
        env: { LANG: "C.UTF-8" },
        cpus: 1.5,
        memoryBytes: 4 * 1024 ** 3,
        network: "none"
      }
    })
  })

  it("leaves tmux projects out, and takes memory as plain bytes", () => {
    expect(Either.getOrThrow(decode(project([]))).containers).toEqual({})
    expect(Either.getOrThrow(decode(project(["runtime: docker", "docker: { image: a, memory: 1048576 }"]))).containers?.["app"]?.memoryBytes).toBe(
      1048576
    )
  })

  it("names the field and what is missing or wrong", () => {
    const problem = (lines: ReadonlyArray<string>) => Either.getOrThrowWith(Either.flip(decode(project(lines))), () => "valid").problem
    expect(problem(["runtime: docker"])).toBe("projects.app.runtime (line 4): runtime docker needs a `docker:` block with at least `image:`")
    expect(problem(["docker: { image: a }"])).toBe(
      "projects.app.docker (line 4): is only read with `runtime: docker`; add it, or remove the docker block"
    )
    expect(problem(["runtime: podman"])).toMatch(/^projects\.app\.runtime \(line 4\): expected "tmux" or "docker"/)
    expect(problem(["runtime: docker", "docker: { image: a, mounts: [relative] }"])).toMatch(
      /^projects\.app\.docker\.mounts\.0 \(line 5\): expected host-path:\/container\/path/
    )
    expect(problem(["runtime: docker", "docker: { image: a, memory: lots }"])).toMatch(/expected bytes or a size like 512m or 4g/)
    expect(problem(["runtime: docker", "docker: { image: a, engine: ssh://me@host }"])).toMatch(/expected unix:\/\/\/path\/to\/docker.sock or tcp:\/\/host:port/)
  })
})
