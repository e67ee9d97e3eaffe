// Bundles `ao` into dist/: one ESM entry plus chunks loaded on demand (each
// command's implementation, the GitHub adapter), so startup parses only what
// the command needs.
import { build } from "esbuild"
import { rm } from "node:fs/promises"

const root = new URL(".", import.meta.url).pathname

await rm(`${root}dist`, { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: { ao: "src/main.ts" },
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
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
