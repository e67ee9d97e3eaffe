// The esbuild settings both shipped apps (ao, ao-api) are bundled with: one
// ESM bundle for Node 20, minified, with a linked source map.
export const nodeAppBuildOptions = {
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
}
