import type { Hono } from "hono"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { extname, join } from "node:path"
import { gzipSync } from "node:zlib"

/**
 * The web dashboard's files (apps/web, built into `dist/web` beside the
 * server's bundle), served from memory at `/`: read and compressed once at
 * start, no CDN, works offline. The page may run only its own script and
 * talk only to this server.
 */

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join("; ")

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".map": "application/json"
}

interface DashboardFile {
  readonly type: string
  readonly plain: Buffer
  readonly gzip: Buffer
}

/** The files of `root` by URL path (`/` is index.html); empty when the dashboard was not built. */
export const loadDashboard = (root: string | undefined): ReadonlyMap<string, DashboardFile> => {
  const files = new Map<string, DashboardFile>()
  if (root === undefined || !existsSync(join(root, "index.html"))) return files
  for (const name of readdirSync(root)) {
    const type = TYPES[extname(name)]
    if (type === undefined) continue
    const plain = readFileSync(join(root, name))
    const file = { type, plain, gzip: gzipSync(plain, { level: 9 }) }
    files.set(`/${name}`, file)
    if (name === "index.html") files.set("/", file)
  }
  return files
}

/** GET (and HEAD) for every dashboard file, behind the same guards as the API. */
export const serveDashboard = (app: Hono, files: ReadonlyMap<string, DashboardFile>): void => {
  for (const [path, file] of files) {
    app.get(path, (c) => {
      const gzip = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "")
      const body = gzip ? file.gzip : file.plain
      return c.body(new Uint8Array(body), 200, {
        "content-type": file.type,
        "content-security-policy": DASHBOARD_CSP,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "cache-control": "no-cache",
        vary: "accept-encoding",
        ...(gzip ? { "content-encoding": "gzip" } : {})
      })
    })
  }
}
