// Packs the built `ao` and `ao-api` bundles into one self-contained npm package
// (`ao-fleet`: npm's `ao` is an unrelated package), and with --install installs
// it into npm's global prefix (npm_config_prefix when set). The bundles carry
// every dependency, so the package has none and installing it needs no network.
//
//   node pack-global.mjs [--out <dir>] [--install]
import { execFileSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const PACKAGE_NAME = "ao-fleet"

const root = new URL(".", import.meta.url).pathname
const args = process.argv.slice(2)
const outIndex = args.indexOf("--out")
const out = resolve(outIndex >= 0 && args[outIndex + 1] !== undefined ? args[outIndex + 1] : join(root, "dist"))
const install = args.includes("--install")

const bundles = [
  { bin: "ao", from: join(root, "apps", "cli", "dist"), entry: "ao.js" },
  { bin: "ao-api", from: join(root, "apps", "http-api", "dist"), entry: "ao-api.js" }
]
for (const bundle of bundles) {
  if (!existsSync(join(bundle.from, bundle.entry))) {
    console.error(`Error: ${join(bundle.from, bundle.entry)} is not built\nRun: npm run build -w @ao/cli -w @ao/http-api`)
    process.exit(1)
  }
}

const workspace = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
const cliVersion = JSON.parse(readFileSync(join(root, "apps", "cli", "package.json"), "utf8")).version
const staging = mkdtempSync(join(tmpdir(), "ao-pack-"))
try {
  mkdirSync(join(staging, "bin"))
  for (const bundle of bundles) {
    cpSync(bundle.from, join(staging, "dist", bundle.bin), { recursive: true })
    writeFileSync(
      join(staging, "bin", `${bundle.bin}.js`),
      `#!/usr/bin/env node\nimport "../dist/${bundle.bin}/${bundle.entry}"\n`,
      { mode: 0o755 }
    )
  }
  writeFileSync(
    join(staging, "package.json"),
    `${JSON.stringify(
      {
        name: PACKAGE_NAME,
        version: cliVersion,
        description: workspace.description,
        license: workspace.license,
        type: "module",
        engines: workspace.engines,
        bin: Object.fromEntries(bundles.map((bundle) => [bundle.bin, `bin/${bundle.bin}.js`])),
        files: ["bin", "dist"]
      },
      null,
      2
    )}\n`
  )
  writeFileSync(
    join(staging, "README.md"),
    "# ao\n\n`ao` and `ao-api`, bundled: fleets of AI coding agents, each in its own git worktree and tmux session.\n"
  )
  mkdirSync(out, { recursive: true })
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: staging, encoding: "utf8" }))
  const tarball = join(out, packed[0].filename)
  console.log(`Packed ${tarball}`)
  if (install) {
    execFileSync("npm", ["install", "--global", "--no-audit", "--no-fund", tarball], { stdio: "inherit" })
    const prefix = execFileSync("npm", ["prefix", "--global"], { encoding: "utf8" }).trim()
    console.log(`Installed ao and ao-api into ${join(prefix, "bin")}`)
  }
} finally {
  rmSync(staging, { recursive: true, force: true })
}
