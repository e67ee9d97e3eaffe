// Bundles `ao` into dist/: one ESM entry plus chunks loaded on demand (each
// command's implementation, the GitHub adapter), so startup parses only what
// the command needs.
import { build } from "esbuild"
import { readdir, rm, stat } from "node:fs/promises"
import { join, relative } from "node:path"
import { nodeAppBuildOptions } from "../../esbuild.shared.mjs"

const root = new URL(".", import.meta.url).pathname
const chunks = join(root, "dist", "chunks")

const result = await build({
  absWorkingDir: root,
  entryPoints: { ao: "src/main.ts" },
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  ...nodeAppBuildOptions,
  splitting: true,
  metafile: true
})

// `ao hook` is a bundle of its own, without chunks: the launcher loads only it.
await build({ absWorkingDir: root, entryPoints: { hook: "src/hook-main.ts" }, outdir: "dist", ...nodeAppBuildOptions })

// Chunk names carry a content hash. An `ao` started before this build still
// loads its chunks lazily, so chunks of earlier builds stay a while before
// they are removed.
const STALE_AFTER_MS = 10 * 60 * 1000
const produced = new Set(Object.keys(result.metafile.outputs).map((output) => relative("dist/chunks", output)))
for (const name of await readdir(chunks)) {
  const path = join(chunks, name)
  if (!produced.has(name) && Date.now() - (await stat(path)).mtimeMs > STALE_AFTER_MS) await rm(path)
}
