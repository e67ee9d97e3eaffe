#!/usr/bin/env node
// The `ao` launcher: the bundles are built by `npm ci` / `npm install` (root prepare script).
// `ao hook …` runs on every tool call of every agent, so it loads only its own tiny bundle;
// everything else goes through dist/ao.js, itself a tiny launcher that loads only what the command needs.
if (process.argv[2] === "hook") await import("../dist/hook.js")
else await import("../dist/ao.js")
