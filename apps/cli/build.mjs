// Bundles `ao` into dist/:
// - cli.cjs: the whole CLI, one CommonJS file (a command's implementation and
//   the GitHub adapter are still evaluated only when used), so that V8 can
//   cache its compiled code (see src/launcher.ts);
// - hook.js: `ao hook`, a bundle of its own: it runs on every agent tool call;
// - ao.js: the launcher, with the output of `--version` recorded here by
//   running the built cli.cjs, and the words of every help page read from
//   cli.ts by a throwaway bundle, so that it answers both without the CLI.
import { build } from "esbuild"
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync } from "node:fs"
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { nodeAppBuildOptions } from "../../esbuild.shared.mjs"

const root = new URL(".", import.meta.url).pathname
const dist = join(root, "dist")

await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/main.ts" },
  outdir: "dist",
  outExtension: { ".js": ".cjs" },
  ...nodeAppBuildOptions,
  format: "cjs",
  // CommonJS has require() itself.
  banner: {}
})

// The hook needs no require() (nothing in it is CommonJS): without the banner it loads neither node:module nor its source-map code.
await build({ absWorkingDir: root, entryPoints: { hook: "src/hook-main.ts" }, outdir: "dist", ...nodeAppBuildOptions, banner: {} })

/** What the built CLI prints for `args`, without and with colour; fails the build when it fails or writes to stderr. */
const record = (args) => {
  const run = (colour) => {
    const env = { ...process.env }
    delete env.NO_COLOR
    delete env.FORCE_COLOR
    if (colour) env.FORCE_COLOR = "1"
    else env.NO_COLOR = "1"
    return execFileSync(process.execPath, [join(dist, "cli.cjs"), ...args], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
  }
  try {
    return { plain: run(false), colour: run(true) }
  } catch (error) {
    throw new Error(`recording \`ao ${args.join(" ")}\` failed: ${error.stderr ?? error.message}`)
  }
}

/** The words of every help page, as cli.ts gives them (help/help-doc.ts), read by a throwaway bundle. */
const recordHelpDocs = async () => {
  const scratch = await mkdtemp(join(tmpdir(), "ao-build-"))
  try {
    const outfile = join(scratch, "help-docs.cjs")
    await build({
      absWorkingDir: root,
      stdin: {
        contents: [
          'import { commandsByPath } from "./src/cli"',
          'import { helpDocsOf } from "./src/help/help-doc"',
          "process.stdout.write(JSON.stringify(helpDocsOf(commandsByPath)))"
        ].join("\n"),
        resolveDir: root,
        loader: "ts"
      },
      outfile,
      ...nodeAppBuildOptions,
      format: "cjs",
      banner: {},
      sourcemap: false
    })
    return JSON.parse(execFileSync(process.execPath, [outfile], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }))
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

const versionOutput = record(["--version"])
const helpDocs = await recordHelpDocs()
const { version } = JSON.parse(await readFile(join(root, "package.json"), "utf8"))
const buildId = createHash("sha256").update(await readFile(join(dist, "cli.cjs"))).digest("hex").slice(0, 16)

await build({
  absWorkingDir: root,
  entryPoints: { ao: "src/launcher.ts" },
  outdir: "dist",
  ...nodeAppBuildOptions,
  banner: {},
  define: {
    AO_VERSION_OUTPUT: JSON.stringify(versionOutput),
    AO_VERSION: JSON.stringify(version),
    AO_HELP: JSON.stringify(helpDocs),
    AO_BUILD_ID: JSON.stringify(buildId)
  }
})

// Earlier builds loaded chunks from dist/chunks lazily; an `ao` started before
// this build may still do so, so they go once they are ten minutes old.
const STALE_AFTER_MS = 10 * 60 * 1000
const chunks = join(dist, "chunks")
if (existsSync(chunks)) {
  for (const name of await readdir(chunks)) {
    const path = join(chunks, name)
    if (Date.now() - (await stat(path)).mtimeMs > STALE_AFTER_MS) await rm(path)
  }
  if ((await readdir(chunks)).length === 0) await rm(chunks, { recursive: true })
}
