// Bundles `ao-api` into one ESM file in dist/: the server starts without
// resolving hundreds of modules. The dashboard's files go to dist/web.
import { build } from "esbuild"
import { cp, rm } from "node:fs/promises"
import { nodeAppBuildOptions } from "../../esbuild.shared.mjs"

const root = new URL(".", import.meta.url).pathname

await rm(`${root}dist`, { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: { "ao-api": "src/main.ts" },
  outdir: "dist",
  ...nodeAppBuildOptions
})

// The dashboard (apps/web), built here too and shipped beside the server as dist/web: ao-api serves it at /.
await import("../web/build.mjs")
await cp(`${root}../web/dist`, `${root}dist/web`, { recursive: true })
