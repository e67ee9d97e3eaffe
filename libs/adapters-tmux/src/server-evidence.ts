import type { RuntimeServer, RuntimeServerEvidence } from "@ao/domain"
import { Effect } from "effect"
import { readFile, stat } from "node:fs/promises"

/**
 * Whether a process with `pid` runs and, where /proc says what it is, is a
 * tmux server: a pid reused by another program after a reboot is not one, and
 * a zombie (exited, not yet reaped) does not run.
 */
const tmuxProcessAlive = (pid: number): Effect.Effect<boolean> =>
  Effect.promise(async () => {
    try {
      process.kill(pid, 0)
    } catch (cause) {
      // EPERM: it runs, as another user.
      if ((cause as NodeJS.ErrnoException).code !== "EPERM") return false
    }
    try {
      // A server that exited stays a zombie until its parent reaps it; when that
      // parent is an init that reaps late, the pid answers signals for a while.
      const stat = await readFile(`/proc/${pid}/stat`, "utf8")
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3)
      if (state === "Z" || state === "X") return false
      return (await readFile(`/proc/${pid}/comm`, "utf8")).trim().startsWith("tmux")
    } catch {
      // No /proc (or it vanished in between): alive is the careful answer.
      return true
    }
  })

/** What is at the socket: nothing, a socket nobody listens on (tmux said "no server"), or one that could not be asked. */
const socketState = (address: string, noServer: boolean): Effect.Effect<RuntimeServerEvidence["socket"]> =>
  Effect.promise(() =>
    stat(address).then(
      () => (noServer ? ("refused" as const) : ("unreachable" as const)),
      (cause: NodeJS.ErrnoException) => (cause.code === "ENOENT" || cause.code === "ENOTDIR" ? ("missing" as const) : ("unreachable" as const))
    )
  )

/**
 * A server that just lost its last session exits: for a moment its process
 * runs while its socket no longer answers. Such a server is given up to five
 * seconds to finish (a loaded machine was seen to need more than one) before
 * its process counts as running.
 */
const EXITING_GRACE_CHECKS = 100
const EXITING_GRACE_STEP = "50 millis"

const aliveAfterGrace = (pid: number) =>
  Effect.gen(function* () {
    for (let check = 0; check < EXITING_GRACE_CHECKS; check++) {
      if (!(yield* tmuxProcessAlive(pid))) return false
      yield* Effect.sleep(EXITING_GRACE_STEP)
    }
    return yield* tmuxProcessAlive(pid)
  })

/** The evidence about a recorded server that did not answer; only gathered then, so a listing that works costs nothing more. */
export const serverEvidence = (
  server: RuntimeServer,
  detail: string,
  noServer: boolean
): Effect.Effect<RuntimeServerEvidence> =>
  Effect.gen(function* () {
    const socket = yield* socketState(server.address, noServer)
    const pidAlive = socket === "unreachable" ? yield* tmuxProcessAlive(server.pid) : yield* aliveAfterGrace(server.pid)
    return { address: server.address, pid: server.pid, socket, pidAlive, detail: detail.trim() }
  })
