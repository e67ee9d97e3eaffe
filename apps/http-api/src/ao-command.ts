import { existsSync, realpathSync } from "node:fs"
import { dirname, isAbsolute, join } from "node:path"

/**
 * How agents' hooks started by the API run `ao hook`: the node binary and
 * ao's launcher. AO_CLI names the launcher when set; otherwise the CLI that
 * ships beside this server (`apps/cli/bin/ao.js` next to `apps/http-api`).
 * Undefined when neither exists: sessions then get no hooks and the screen
 * decides their state, as the API's start line says.
 */
export const resolveAoCommand = (options: {
  readonly env: Readonly<Record<string, string | undefined>>
  /** This server's own script (process.argv[1]). */
  readonly apiScript: string
  readonly nodePath: string
  readonly exists?: (path: string) => boolean
  readonly realpath?: (path: string) => string
}): ReadonlyArray<string> | undefined => {
  const exists = options.exists ?? existsSync
  const realpath = options.realpath ?? realpathSync
  const configured = options.env["AO_CLI"]
  if (configured !== undefined && configured !== "") {
    return isAbsolute(configured) && exists(configured) ? [options.nodePath, configured] : undefined
  }
  if (options.apiScript === "" || !exists(options.apiScript)) return undefined
  // bin/ao-api.js or dist/ao-api.js, both one level under apps/http-api.
  const beside = join(dirname(dirname(realpath(options.apiScript))), "..", "cli", "bin", "ao.js")
  return exists(beside) ? [options.nodePath, realpath(beside)] : undefined
}
