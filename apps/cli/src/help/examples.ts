/**
 * Examples shown at the end of each command's help, keyed by the command's
 * words. Those of `ao session …` are the reference documentation's own
 * (spec/ao-session.md: Basic Usage, Before Killing, Examples, Batch Kill,
 * Cleanup Script), word for word; `# …` lines are comments.
 */
export const EXAMPLES: Readonly<Record<string, ReadonlyArray<string>>> = {
  ao: [
    "# Set up a repository, start an agent on an issue, watch it",
    "ao init",
    "ao spawn my-project INT-1234",
    "ao session ls"
  ],
  "ao init": ["# In the repository's root: write agent-orchestrator.yaml for it", "ao init", "ao init --agent codex"],
  "ao spawn": [
    "# Create a session for an issue (named after it, e.g. ao-int-1234)",
    "ao spawn my-project INT-1234  # Create fresh session",
    "# One session per issue",
    "ao spawn my-project INT-1234 INT-1235 INT-1236",
    "# A session without an issue, numbered (ao-s1, ao-s2, …)",
    'ao spawn my-project --prompt "Upgrade the linter and fix what it finds"'
  ],
  "ao session": ["# List all sessions", "ao session ls", "# Kill sessions where PR is merged or issue is closed", "ao session cleanup"],
  "ao session ls": [
    "# List all sessions",
    "ao session ls",
    "# List sessions for a specific project",
    "ao session ls --project my-project",
    "# Session names only, one per line",
    "ao session ls -q"
  ],
  "ao session kill": [
    "# Kill a session",
    "ao session kill ao-int-1234",
    "# Before killing: find the worktree path, then check git status in it",
    `ao status --json | jq -r '.[] | select(.name=="ao-int-1234") | .workspacePath'`,
    "# Kill all sessions for a project (shell script)",
    "for session in $(ao session ls --project my-project | grep my-project | awk '{print $1}'); do",
    "  ao session kill $session",
    "done"
  ],
  "ao session cleanup": [
    "# Cleanup all completed sessions",
    "ao session cleanup",
    "# Cleanup for a specific project",
    "ao session cleanup --project my-project",
    "# Preview cleanup without executing",
    "ao session cleanup --dry-run",
    "# cleanup-old-sessions.sh: preview, ask, then clean up",
    "ao session cleanup --dry-run",
    'read -p "Proceed with cleanup? (y/n) " -n 1 -r',
    "echo",
    "if [[ $REPLY =~ ^[Yy]$ ]]; then",
    "  ao session cleanup",
    "fi"
  ],
  "ao session restore": [
    "# Restore a crashed session",
    "ao session restore ao-int-1234",
    "# Machine rebooted, sessions lost",
    "ao session ls  # Shows sessions but can't attach",
    "ao session restore ao-int-1234",
    "tmux attach -t ao-int-1234",
    "# Workspace missing: create a new session instead",
    "ao spawn my-project INT-1234"
  ],
  "ao session attach": ["ao session attach ao-int-1234"],
  "ao status": [
    "ao status",
    "# Only the sessions waiting for you",
    "ao status --waiting",
    "# Find a session's worktree path",
    `ao status --json | jq -r '.[] | select(.name=="ao-int-1234") | .workspacePath'`
  ],
  "ao send": [
    'ao send ao-int-1234 "Please add a test for the empty case"',
    "ao send ao-int-1234 --file review-notes.md",
    "# Interrupt the agent",
    "ao send ao-int-1234 --key C-c"
  ],
  "ao logs": ["ao logs ao-int-1234", "# The last 200 lines, then follow", "ao logs ao-int-1234 -n 200 -f"],
  "ao doctor": ["# Report drift between records, tmux and worktrees", "ao doctor", "# Repair what is safe to repair", "ao doctor --fix"],
  "ao project": ["ao project add ~/src/my-app", "ao project ls"],
  "ao project add": ["# Register the repository you are in", "ao project add", "ao project add ~/src/my-app --id my-app"],
  "ao project ls": ["ao project ls", "ao project ls --json"],
  "ao trust": ["# Allow the agent commands of this repository's config", "ao trust", "ao trust ~/src/my-app/agent-orchestrator.yaml"],
  "ao watch": ["ao watch", "# One pass, e.g. from cron", "ao watch --once", "ao watch --interval 2m --project my-project"],
  "ao events": ["ao events", "ao events --session ao-int-1234", "# Follow new events as JSON lines", "ao events -f --json"]
}
