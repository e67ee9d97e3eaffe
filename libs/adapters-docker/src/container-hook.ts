/**
 * How an agent in a container reports its state. The container has no `ao`
 * (and maybe no node), and the activity logs live on the host, so:
 *
 * - the session gets a directory of its own on the host (given by the
 *   composition root: `{dataDir}/activity/containers/{session}/`), mounted
 *   read-write at CONTAINER_ACTIVITY_DIR, and nothing else of ao's data;
 * - this script, mounted read-only at CONTAINER_HOOK_PATH, appends one raw
 *   line per hook call, `{"at","agent","event","payload"}`, with nothing but
 *   `sh`'s builtins and `date`;
 * - the hook line ao installs runs it when AO_CONTAINER_HOOK is set (the
 *   container's environment sets it), and `ao hook` otherwise;
 * - the host turns the raw lines into states when it reads them, with the
 *   same agent adapter `ao hook` uses.
 *
 * A payload that is not one JSON value makes its line unreadable, and the
 * line is skipped (the next hook says the state again).
 */
export const CONTAINER_ACTIVITY_DIR = "/run/ao/activity"
export const CONTAINER_HOOK_PATH = "/run/ao/hook"

/** The agent and the event are words; the payload is the last argument, else stdin when it is not a terminal. */
export const CONTAINER_HOOK_SCRIPT = `#!/bin/sh
# ao's hook inside a container: one raw line per call, read on the host.
agent=$1 event=$2 payload=\${3:-}
case "$agent$event" in *[!A-Za-z0-9_.-]*|"") exit 0 ;; esac
if [ -z "$payload" ] && [ ! -t 0 ]; then
  while IFS= read -r line || [ -n "$line" ]; do payload="$payload$line"; done
fi
at=$(date -u +%Y-%m-%dT%H:%M:%SZ 2>/dev/null) || exit 0
printf '{"at":"%s","agent":"%s","event":"%s","payload":%s}\\n' "$at" "$agent" "$event" "\${payload:-null}" >> ${CONTAINER_ACTIVITY_DIR}/hooks.jsonl
exit 0
`
