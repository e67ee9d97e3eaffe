// The `ao` entry (dist/ao.js), kept tiny so a start costs little more than
// node's own:
// - `ao --version` prints what the built CLI printed for it at build time
//   (build.mjs records it by running dist/cli.cjs), in colour or not by the
//   same rule as the CLI;
// - every help page (`ao --help`, a bare `ao`, `ao session`, `ao session ls
//   -h`…) is laid out here by the CLI's own code (help/help-page.ts) from the
//   words of each command, recorded at build time from cli.ts, at the width
//   the CLI would use: the same bytes without loading the CLI;
// - `ao hook …` loads its own tiny bundle (dist/hook.js);
// - everything else runs the whole CLI (dist/cli.cjs) through V8's code
//   cache: node's compile cache where node has one (22+), else a vm.Script
//   whose cached data lives under $XDG_CACHE_HOME/ao. A missing, stale,
//   corrupt or unwritable cache only costs the compile it would have saved.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import * as nodeModule from "node:module"
import { homedir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { Script } from "node:vm"
import { crc32 } from "node:zlib"
import type { CommandHelp } from "./help/help-doc"
import { helpPage } from "./help/help-page"
import { helpRequest } from "./help/help-request"
import { helpWidth } from "./help/terminal-width"
import { ansiStyle, styleFor } from "./render/style"

/** Output of the built CLI for `ao --version`, recorded at build time (see build.mjs). */
declare const AO_VERSION_OUTPUT: { readonly plain: string; readonly colour: string }
/** The version the help pages name. */
declare const AO_VERSION: string
/** The words of every command's help page, recorded at build time from cli.ts (see build.mjs). */
declare const AO_HELP: ReadonlyArray<CommandHelp>
/** Content hash of dist/cli.cjs: a cache made for another build is never offered to V8. */
declare const AO_BUILD_ID: string

const args = process.argv.slice(2)
const here = dirname(fileURLToPath(import.meta.url))

const cacheRoot = (): string => {
  const xdg = process.env["XDG_CACHE_HOME"]
  return join(xdg !== undefined && xdg.startsWith("/") ? xdg : join(homedir(), ".cache"), "ao")
}

/**
 * One cache per command, so each holds the functions its command compiles:
 * `session-ls`, `status`, `spawn`… (a project or session name never ends up in it).
 */
const commandKey = (): string => {
  const [first, second] = args
  const word = (text: string | undefined) => (text !== undefined && /^[a-z]{2,16}$/.test(text) ? text : undefined)
  const command = word(first) ?? "other"
  const sub = command === "session" || command === "project" ? word(second) : undefined
  return sub === undefined ? command : `${command}-${sub}`
}

/**
 * The cache file: crc32 and length of V8's data, then the data. V8 checks
 * only that the data was made for this source and V8, not that it is intact
 * (damaged data can crash it), so damaged data is never offered to it.
 */
const HEADER_BYTES = 8

const readCache = (cacheFile: string): Buffer | undefined => {
  let file: Buffer
  try {
    file = readFileSync(cacheFile)
  } catch {
    return undefined
  }
  if (file.length <= HEADER_BYTES) return undefined
  const data = file.subarray(HEADER_BYTES)
  return file.readUInt32LE(4) === data.length && file.readUInt32LE(0) === crc32(data) ? data : undefined
}

/** Node 20: compile the CommonJS bundle as node would, with V8 cached data read from and written to disk. */
const runWithCodeCache = (cliPath: string): void => {
  const source = readFileSync(cliPath, "utf8")
  const cacheDir = join(cacheRoot(), "v8-cache")
  const cacheFile = join(cacheDir, `cli-${AO_BUILD_ID}-${process.version}-${process.arch}-${commandKey()}.bin`)
  const cachedData = readCache(cacheFile)
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`
  const script = new Script(wrapped, { filename: cliPath, ...(cachedData === undefined ? {} : { cachedData }) })
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // At exit the cache holds every function this command compiled; written only after a success.
    process.once("exit", (code) => {
      if (code !== 0) return
      const temporary = `${cacheFile}.${process.pid}.tmp`
      try {
        mkdirSync(cacheDir, { recursive: true })
        const data = script.createCachedData()
        const header = Buffer.alloc(HEADER_BYTES)
        header.writeUInt32LE(crc32(data), 0)
        header.writeUInt32LE(data.length, 4)
        writeFileSync(temporary, Buffer.concat([header, data]))
        renameSync(temporary, cacheFile)
      } catch {
        rmSync(temporary, { force: true })
      }
    })
  }
  const module = { exports: {} }
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string
  ) => void
  run(module.exports, nodeModule.createRequire(cliPath), module, cliPath, here)
}

const runCli = (): void => {
  const cliPath = join(here, "cli.cjs")
  const enableCompileCache = (nodeModule as { enableCompileCache?: (directory: string) => unknown }).enableCompileCache
  if (typeof enableCompileCache === "function") {
    try {
      enableCompileCache(join(cacheRoot(), "compile-cache"))
    } catch {
      // No cache: node compiles as usual.
    }
    nodeModule.createRequire(import.meta.url)(cliPath)
  } else runWithCodeCache(cliPath)
}

const helpFor =
  args[0] === "hook"
    ? undefined
    : helpRequest(
        args,
        AO_HELP.map((command) => command.path)
      )
if (args[0] === "hook") await import(new URL("./hook.js", import.meta.url).href)
else if (args.length === 1 && args[0] === "--version") {
  const colour = styleFor(process.env, process.stdout.isTTY === true) === ansiStyle
  process.stdout.write(colour ? AO_VERSION_OUTPUT.colour : AO_VERSION_OUTPUT.plain)
} else if (helpFor !== undefined) {
  // As main.ts prints it: the page without its trailing blank lines, then a newline.
  process.stdout.write(`${helpPage(AO_HELP, helpFor, AO_VERSION, helpWidth(process.env, process.stdout.columns)).trimEnd()}\n`)
} else runCli()
