import { execa } from "execa"
import { createHash } from "node:crypto"
import { existsSync, createReadStream } from "node:fs"
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, symlink, writeFile, chmod } from "node:fs/promises"
import { request } from "node:http"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"

/**
 * A Docker engine of the test's own: its own data root, exec root, pid file
 * and unix socket under a temp directory, no bridge and no iptables rules, so
 * it never touches the machine's engine, its containers or its network.
 */
export interface PrivateDockerd {
  readonly dir: string
  readonly socketPath: string
  /** `unix://<socket>`: what DOCKER_HOST or a project's `docker.engine` says. */
  readonly url: string
  /** Stops the engine (its containers with it) and removes its directory. */
  readonly stop: () => Promise<void>
}

/** Why no private engine could start (the test prints it and skips), or the engine. */
export type DockerdStart = { readonly _tag: "Started"; readonly engine: PrivateDockerd } | { readonly _tag: "Unavailable"; readonly reason: string }

const DOCKERD_CANDIDATES = ["/usr/bin/dockerd", "/usr/sbin/dockerd", "/usr/local/bin/dockerd"]

/** Asks the engine at `socketPath` for `path`, with an optional body streamed from a file. */
export const engineRequest = (
  socketPath: string,
  method: string,
  path: string,
  bodyFile?: string,
  contentType = "application/x-tar"
): Promise<{ readonly status: number; readonly body: string }> =>
  new Promise((resolve, reject) => {
    const outgoing = request(
      { socketPath, method, path, headers: bodyFile === undefined ? {} : { "content-type": contentType } },
      (response) => {
        const chunks: Array<Buffer> = []
        response.on("data", (chunk: Buffer) => chunks.push(chunk))
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }))
        response.on("error", reject)
      }
    )
    outgoing.on("error", reject)
    if (bodyFile === undefined) outgoing.end()
    else createReadStream(bodyFile).pipe(outgoing)
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Starts a private dockerd and waits (polling, up to 90 s) until it answers.
 * Unavailable, with the reason, when there is no dockerd, we are not root,
 * or it exits or never answers (its log's last lines are in the reason).
 */
export const startPrivateDockerd = async (): Promise<DockerdStart> => {
  const dockerd = DOCKERD_CANDIDATES.find((candidate) => existsSync(candidate))
  if (dockerd === undefined) return { _tag: "Unavailable", reason: `no dockerd in ${DOCKERD_CANDIDATES.join(", ")} (apt-get install docker.io)` }
  if (process.getuid?.() !== 0) return { _tag: "Unavailable", reason: "dockerd needs root and the tests do not run as root" }
  // Short: a unix socket path is limited to 107 bytes.
  const dir = await mkdtemp(join(tmpdir(), "ao-dk-"))
  const socketPath = join(dir, "docker.sock")
  const configFile = join(dir, "daemon.json")
  await writeFile(configFile, "{}\n")
  const log = join(dir, "dockerd.log")
  const child = execa(
    dockerd,
    [
      "--config-file", configFile,
      "--data-root", join(dir, "data"),
      "--exec-root", join(dir, "exec"),
      "--pidfile", join(dir, "dockerd.pid"),
      "--host", `unix://${socketPath}`,
      "--bridge=none",
      "--iptables=false",
      "--ip6tables=false",
      "--ip-masq=false"
    ],
    { reject: false, stdin: "ignore", stdout: { file: log }, stderr: { file: log }, cleanup: true }
  )
  let exited = false
  void child.then(() => {
    exited = true
  })
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM")
      const deadline = Date.now() + 60_000
      while (!exited && Date.now() < deadline) await sleep(100)
      if (!exited) child.kill("SIGKILL")
      await child
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined)
  }
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (exited) break
    const answer = await engineRequest(socketPath, "GET", "/_ping").catch(() => undefined)
    if (answer?.status === 200) return { _tag: "Started", engine: { dir, socketPath, url: `unix://${socketPath}`, stop } }
    await sleep(200)
  }
  const tail = (await readFile(log, "utf8").catch(() => "")).trim().split("\n").slice(-5).join("\n")
  await stop()
  return { _tag: "Unavailable", reason: `dockerd ${exited ? "exited" : "did not answer within 90 s"}: ${tail}` }
}

/** Host programs the test image holds: enough for a bash agent, nothing of the host's home. */
const IMAGE_PROGRAMS = ["bash", "sh", "env", "printenv", "stty", "cat", "sleep", "ls", "id", "echo", "mkdir", "touch", "rm", "true", "date", "git"]

const which = (program: string): string | undefined =>
  ["/usr/bin", "/bin", "/usr/sbin", "/sbin"].map((dir) => join(dir, program)).find((path) => existsSync(path))

/**
 * The test image's root filesystem as a tar, assembled offline from the
 * host's programs and the libraries `ldd` says they load (no registry is
 * reachable here). Cached in the temp directory by the hash of its content,
 * so a run builds it once; returns the tar and its tag.
 */
export const testImageTar = async (): Promise<{ readonly tar: string; readonly tag: string }> => {
  const programs = IMAGE_PROGRAMS.flatMap((program) => {
    const path = which(program)
    return path === undefined ? [] : [{ program, path }]
  })
  const { stdout } = await execa("ldd", programs.map((entry) => entry.path), { reject: false })
  const libraries = [...new Set([...stdout.matchAll(/(\/[^\s:]+\.so[^\s:]*)/g)].map((match) => match[1] as string))].sort()
  const hash = createHash("sha256")
  for (const file of [...programs.map((entry) => entry.path), ...libraries]) {
    hash.update(file)
    hash.update(await readFile(file))
  }
  const tag = hash.digest("hex").slice(0, 16)
  const tar = join(tmpdir(), `ao-test-image-${tag}.tar`)
  if (existsSync(tar)) return { tar, tag }

  const root = await mkdtemp(join(tmpdir(), "ao-rootfs-"))
  try {
    await Promise.all(["bin", "tmp", "etc"].map((dir) => mkdir(join(root, dir), { recursive: true })))
    await chmod(join(root, "tmp"), 0o1777)
    await mkdir(join(root, "usr"), { recursive: true })
    await symlink("../bin", join(root, "usr", "bin"))
    for (const { program, path } of programs) await copyFile(path, join(root, "bin", program))
    for (const library of libraries) {
      await mkdir(join(root, dirname(library)), { recursive: true })
      await copyFile(library, join(root, library))
    }
    await writeFile(join(root, "etc", "passwd"), "root:x:0:0:root:/tmp:/bin/bash\n")
    const partial = `${tar}.${process.pid}.partial`
    await execa("tar", ["-C", root, "-cf", partial, "."])
    await rename(partial, tar)
  } finally {
    await rm(root, { recursive: true, force: true })
  }
  return { tar, tag }
}

/** Loads the test image into an engine (`docker import` over the API); returns its name. */
export const importTestImage = async (engine: PrivateDockerd): Promise<string> => {
  const { tar, tag } = await testImageTar()
  const size = (await stat(tar)).size
  const answer = await engineRequest(engine.socketPath, "POST", `/images/create?fromSrc=-&repo=ao-test&tag=${tag}`, tar)
  if (answer.status !== 200) throw new Error(`importing the test image (${size} bytes) failed (${answer.status}): ${answer.body}`)
  return `ao-test:${tag}`
}

/** Names of the engine's containers carrying `label` (running or not). */
export const engineContainers = async (engine: PrivateDockerd, label: string): Promise<ReadonlyArray<{ name: string; state: string }>> => {
  const filters = encodeURIComponent(JSON.stringify({ label: [label] }))
  const answer = await engineRequest(engine.socketPath, "GET", `/containers/json?all=1&filters=${filters}`)
  if (answer.status !== 200) throw new Error(`listing containers failed (${answer.status}): ${answer.body}`)
  return (JSON.parse(answer.body) as Array<{ Names: Array<string>; State: string }>).map((container) => ({
    name: (container.Names[0] ?? "").replace(/^\//, ""),
    state: container.State
  }))
}
