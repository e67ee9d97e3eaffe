// Bundles `ao-api` into one ESM file in dist/: the server starts without
// resolving hundreds of modules.
import { build } from "esbuild"
import { rm } from "node:fs/promises"
import { nodeAppBuildOptions } from "../../esbuild.shared.mjs"

const root = new URL(".", import.meta.url).pathname

await rm(`${root}dist`, { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: { "ao-api": "src/main.ts" },
  outdir: "dist",
  ...nodeAppBuildOptions
})
