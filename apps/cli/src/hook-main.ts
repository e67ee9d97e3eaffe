// `ao hook <agent> <event>`: its own tiny bundle (dist/hook.js), which the
// launcher loads instead of the CLI. It runs on every tool call of every
// agent: no live layer, no Effect runtime, and it never fails the agent.
import { runHook } from "@ao/composition-root/hook"

/** An agent pipes its hook payload; a terminal (or nothing within a second) means there is none. */
const readStdin = (): Promise<string | undefined> =>
  process.stdin.isTTY === true
    ? Promise.resolve(undefined)
    : new Promise((resolve) => {
        const chunks: Array<Buffer> = []
        const timer = setTimeout(() => done(), 1000)
        const done = () => {
          clearTimeout(timer)
          process.stdin.destroy()
          resolve(chunks.length === 0 ? undefined : Buffer.concat(chunks).toString("utf8"))
        }
        process.stdin.on("data", (chunk: Buffer) => chunks.push(chunk))
        process.stdin.on("end", done)
        process.stdin.on("error", done)
      })

try {
  await runHook({ args: process.argv.slice(3), env: process.env, cwd: process.cwd(), stdin: readStdin, now: new Date() })
} catch (error) {
  // A hook must never break or block the agent: say what went wrong, succeed anyway.
  process.stderr.write(`ao hook: ${error instanceof Error ? error.message : String(error)}\n`)
}
process.exitCode = 0
