import { existsSync } from "node:fs"
import { dirname, join } from "node:path"

/** The monorepo root (where nx.json is), found from this file so tests run from any directory. */
export const workspaceRoot = (from: string = import.meta.dirname): string => {
  let dir = from
  while (!existsSync(join(dir, "nx.json"))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no nx.json above ${from}`)
    dir = parent
  }
  return dir
}

/** The built `ao` bundle; AO_BIN overrides it (e.g. to test an installed copy). */
export const aoBinary = (): string => process.env["AO_BIN"] ?? join(workspaceRoot(), "apps", "cli", "dist", "ao.js")
