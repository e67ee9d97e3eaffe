// `ao hook <agent> <event>`: its own tiny bundle (dist/hook.js), which
// bin/ao.js loads instead of the CLI. It runs on every tool call of every
// agent: no live layer, no Effect runtime, and it never fails the agent.
import { fstatSync, read } from "node:fs"
import { runHook } from "@ao/composition-root/hook"

/** How long the hook waits for a payload that does not come (stdin left open and silent). */
const STDIN_WAIT_MS = 1000
const CHUNK_BYTES = 64 * 1024

/** Set when stdin stayed open and silent: a read of it is still pending and cannot be cancelled. */
let stdinLeftOpen = false

/**
 * The payload an agent pipes in (Claude Code writes it and closes stdin), read
 * from fd 0 itself: node's stdin stream would load its whole stream and net
 * machinery, a tenth of a node start on every tool call. A terminal or
 * /dev/null (a character device) has none; so has a stdin that stays silent
 * for a second (a read of it may then stay pending, see stdinLeftOpen).
 */
const readStdin = (): Promise<string | undefined> => {
  try {
    const stat = fstatSync(0)
    if (!stat.isFIFO() && !stat.isSocket() && !stat.isFile()) return Promise.resolve(undefined)
  } catch {
    return Promise.resolve(undefined)
  }
  return new Promise((resolve) => {
    const chunks: Array<Buffer> = []
    let reading = false
    let over = false
    const finish = () => {
      over = true
      clearTimeout(timer)
      resolve(chunks.length === 0 ? undefined : Buffer.concat(chunks).toString("utf8"))
    }
    const timer = setTimeout(() => {
      stdinLeftOpen = reading
      finish()
    }, STDIN_WAIT_MS)
    const next = (): void => {
      reading = true
      read(0, Buffer.allocUnsafe(CHUNK_BYTES), 0, CHUNK_BYTES, null, (error, bytes, buffer) => {
        reading = false
        if (over) return
        // A non-blocking stdin (shared with a parent that made it so) has nothing yet: ask again shortly.
        if (error?.code === "EAGAIN") setTimeout(next, 5)
        else if (error !== null || bytes === 0) finish()
        else {
          chunks.push(buffer.subarray(0, bytes))
          next()
        }
      })
    }
    next()
  })
}

try {
  await runHook({ args: process.argv.slice(3), env: process.env, cwd: process.cwd(), stdin: readStdin, now: new Date() })
} catch (error) {
  // A hook must never break or block the agent: say what went wrong, succeed anyway.
  process.stderr.write(`ao hook: ${error instanceof Error ? error.message : String(error)}\n`)
}
process.exitCode = 0
// The line is written. A pending read of stdin cannot be cancelled and would
// hold the exit until the writer closes it: the hook ends itself instead, so
// that it never holds up its caller.
if (stdinLeftOpen) process.kill(process.pid, "SIGKILL")
