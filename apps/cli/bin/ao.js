#!/usr/bin/env node
// The `ao` launcher: the bundles are built by `npm ci` / `npm install` (root prepare script).
// dist/ao.js is itself a tiny launcher that loads only what the command needs.
import "../dist/ao.js"
