// Bundles `ao-api` into one ESM file in dist/: the server starts without
// resolving hundreds of modules.
import { build } from "esbuild"
import { rm } from "node:fs/promises"

const root = new URL(".", import.meta.url).pathname

await rm(`${root}dist`, { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: { "ao-api": "src/main.ts" },
  outdir: "dist",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
  // Some dependencies are CommonJS and call require() for Node builtins.
  banner: { js: 'import { createRequire as __aoRequire } from "node:module"; const require = __aoRequire(import.meta.url);' }
})
