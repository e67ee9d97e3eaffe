import { fstatSync } from "node:fs"
import { parseArgs } from "node:util"
import { prepareGraphql } from "./graphql-endpoint"
import { startGitHubEmulator } from "./server"

/**
 * `node github-emulator.mjs [--port 0] [--token T] [--web-url U]`: starts the
 * emulator and prints its base URL as the first line on stdout, so a test in
 * another project can spawn it and read where it listens. Control it over
 * the `/_emulator/*` routes. It stops on SIGTERM, and when its stdin is a
 * pipe that closes (the spawning test died), so it is never left behind.
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    token: { type: "string" },
    "web-url": { type: "string" }
  }
})

const emulator = await startGitHubEmulator({
  port: Number(values.port),
  ...(values.token === undefined ? {} : { token: values.token }),
  ...(values["web-url"] === undefined ? {} : { webUrl: values["web-url"] })
})
prepareGraphql()
process.stdout.write(`${emulator.url}\n`)

const stop = () => {
  void emulator.close().then(() => process.exit(0))
}
process.on("SIGTERM", stop)
process.on("SIGINT", stop)
if (fstatSync(0).isFIFO()) {
  process.stdin.on("end", stop)
  process.stdin.resume()
}
