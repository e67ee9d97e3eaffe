/**
 * A stand-in for a coding agent: prints a banner saying how it was started
 * (launch or resume, in which directory, with which prompt), then echoes
 * every line it reads, so a test can see that `ao send` text arrived. It
 * exits on the line `/exit`, which lets tests produce a dead pane.
 */
export const STAND_IN_AGENT_SCRIPT = `#!/usr/bin/env bash
mode="$1"; shift
echo "stand-in agent: mode=$mode cwd=$PWD"
if [ "$#" -gt 0 ]; then echo "stand-in agent: prompt=$*"; fi
while IFS= read -r line; do
  if [ "$line" = "/exit" ]; then echo "stand-in agent: bye"; exit 0; fi
  echo "heard: $line"
done
`

/** The banner line a launched (or resumed) stand-in agent prints first. */
export const standInBanner = (mode: "launch" | "resume"): string => `stand-in agent: mode=${mode}`
