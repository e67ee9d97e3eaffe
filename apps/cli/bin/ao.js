#!/usr/bin/env node
// The `ao` launcher: the bundle is built by `npm ci` / `npm install` (root prepare script).
import "../dist/ao.js"
