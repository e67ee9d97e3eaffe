import { execa } from "execa"
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface PrivateSshd {
  readonly port: number
  /** A directory holding `ssh`: the real client with this server's key, known host and identity only (never ~/.ssh). */
  readonly clientBin: string
  readonly stop: () => Promise<void>
}

export type SshdStart = { readonly _tag: "Started"; readonly sshd: PrivateSshd } | { readonly _tag: "Unavailable"; readonly reason: string }

const SSHD = "/usr/sbin/sshd"
const SSH = "/usr/bin/ssh"

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * An OpenSSH server of the test's own on 127.0.0.1 and a free port, run as
 * the test's child with its own host key and authorized_keys in a temp
 * directory; every login runs `forceCommand`, whatever the client asks.
 * Unavailable (with why) without Debian's openssh-server or root.
 */
export const startPrivateSshd = async (forceCommand: string): Promise<SshdStart> => {
  if (!existsSync(SSHD) || !existsSync(SSH)) return { _tag: "Unavailable", reason: `no ${SSHD} or ${SSH} (apt-get install openssh-server)` }
  if (process.getuid?.() !== 0) return { _tag: "Unavailable", reason: "sshd needs root and the tests do not run as root" }
  // sshd's privilege separation directory, made by its service otherwise.
  await mkdir("/run/sshd", { recursive: true, mode: 0o755 })
  const dir = await mkdtemp(join(tmpdir(), "ao-sshd-"))
  const keygen = (file: string) => execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "ao-test", "-f", join(dir, file)])
  keygen("host_key")
  keygen("client_key")
  await writeFile(join(dir, "authorized_keys"), await readFile(join(dir, "client_key.pub")))
  const port = await freePort()
  const hostKey = (await readFile(join(dir, "host_key.pub"), "utf8")).split(" ").slice(0, 2).join(" ")
  await writeFile(join(dir, "known_hosts"), `[127.0.0.1]:${port} ${hostKey}\n`)
  await writeFile(
    join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(dir, "host_key")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      `ForceCommand ${forceCommand}`,
      ""
    ].join("\n")
  )
  await writeFile(
    join(dir, "ssh_config"),
    [
      "Host *",
      `  IdentityFile ${join(dir, "client_key")}`,
      "  IdentitiesOnly yes",
      `  UserKnownHostsFile ${join(dir, "known_hosts")}`,
      "  GlobalKnownHostsFile /dev/null",
      "  StrictHostKeyChecking yes",
      ""
    ].join("\n")
  )
  const clientBin = join(dir, "bin")
  await mkdir(clientBin)
  await writeFile(join(clientBin, "ssh"), `#!/bin/sh\nexec ${SSH} -F ${join(dir, "ssh_config")} "$@"\n`)
  await chmod(join(clientBin, "ssh"), 0o755)
  const log = join(dir, "sshd.log")
  const child = execa(SSHD, ["-D", "-e", "-f", join(dir, "sshd_config")], {
    reject: false,
    stdin: "ignore",
    stdout: { file: log },
    stderr: { file: log },
    cleanup: true
  })
  let exited = false
  void child.then(() => {
    exited = true
  })
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM")
      await child
    }
    await rm(dir, { recursive: true, force: true }).catch(() => undefined)
  }
  // Up once it accepts a connection (polling, up to 30 s).
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline && !exited) {
    const open = await new Promise<boolean>((resolve) => {
      const probe = createServer()
      probe.once("error", () => resolve(true))
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(false)))
    })
    if (open) return { _tag: "Started", sshd: { port, clientBin, stop } }
    await sleep(100)
  }
  const tail = (await readFile(log, "utf8").catch(() => "")).trim().split("\n").slice(-5).join("\n")
  await stop()
  return { _tag: "Unavailable", reason: `sshd ${exited ? "exited" : "did not listen within 30 s"}: ${tail}` }
}
