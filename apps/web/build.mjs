// Bundles the dashboard for the browser: one minified script, its styles and
// the page, into dist/ (ao-api's build copies them beside its own bundle).
import { build } from "esbuild"
import { copyFile, mkdir, rm } from "node:fs/promises"

const root = new URL(".", import.meta.url).pathname

await rm(`${root}dist`, { recursive: true, force: true })
await mkdir(`${root}dist`, { recursive: true })
await build({
  absWorkingDir: root,
  entryPoints: { app: "src/main.ts" },
  outdir: "dist",
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "none",
  logLevel: "warning"
})
await copyFile(`${root}src/index.html`, `${root}dist/index.html`)
await copyFile(`${root}src/app.css`, `${root}dist/app.css`)
await copyFile(`${root}src/favicon.svg`, `${root}dist/favicon.svg`)
