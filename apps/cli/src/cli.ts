import { Args, CliConfig, Command, type HelpDoc, Options } from "@effect/cli"
import { Effect } from "effect"

/**
 * The `ao` command tree: options, arguments and help text only. Each handler
 * imports its implementation on demand, so `ao --version` and `ao --help`
 * never load the use cases, the adapters or the config loader.
 */

/** Loads a command's implementation only when that command runs. */
const lazy = <M, E, R>(load: () => Promise<M>, run: (module: M) => Effect.Effect<void, E, R>) =>
  Effect.flatMap(Effect.promise(load), run)

const json = Options.boolean("json").pipe(Options.withDescription("Print the result as JSON on stdout (errors as JSON on stderr), for scripts"))
const project = Options.text("project").pipe(
  Options.withAlias("p"),
  Options.withPseudoName("id"),
  Options.withDescription("Filter by project ID"),
  Options.optional
)
const agent = Options.text("agent").pipe(
  Options.withPseudoName("name"),
  Options.withDescription("The agent to run: claude, codex, aider, or one configured in agent-orchestrator.yaml"),
  Options.optional
)
const refresh = Options.boolean("refresh").pipe(
  Options.withDescription("Ask GitHub for every PR now instead of reusing answers from the last minute")
)
const sessionArg = Args.text({ name: "session" }).pipe(Args.withDescription("Session name, e.g. ao-int-1234"))

const init = Command.make("init", { agent }, (input) =>
  lazy(() => import("./commands/init"), (command) => command.init(input))
).pipe(
  Command.withDescription(
    "Write agent-orchestrator.yaml for the git repository in the current directory (never overwrites an existing one)"
  )
)

const spawn = Command.make(
  "spawn",
  {
    project: Args.text({ name: "project" }).pipe(Args.withDescription("Project ID from agent-orchestrator.yaml")),
    issues: Args.text({ name: "issue" }).pipe(
      Args.withDescription("Issue ID, e.g. INT-1234 or 42; several spawn one session each; none spawns a numbered session"),
      Args.repeated
    ),
    prompt: Options.text("prompt").pipe(
      Options.withPseudoName("text"),
      Options.withDescription("What the agent should do; with an issue, added after the prompt rendered from the issue"),
      Options.optional
    ),
    noIssuePrompt: Options.boolean("no-issue-prompt").pipe(
      Options.withDescription("Do not start the agent with the issue's text (only --prompt, if given)")
    ),
    agent,
    json
  },
  (input) => lazy(() => import("./commands/spawn"), (command) => command.spawn(input))
).pipe(
  Command.withDescription(
    "Start an agent on a task in its own worktree and detached tmux session; prints SESSION=<name> last"
  )
)

const ls = Command.make(
  "ls",
  {
    project,
    json,
    all: Options.boolean("all").pipe(Options.withDescription("Also list killed and done sessions")),
    quiet: Options.boolean("quiet").pipe(
      Options.withAlias("q"),
      Options.withDescription("Print session names only, one per line (for scripts)")
    ),
    refresh
  },
  (input) => lazy(() => import("./commands/session-ls"), (command) => command.sessionLs(input))
).pipe(Command.withDescription("List all sessions with branch and activity information"))

const kill = Command.make(
  "kill",
  {
    sessions: Args.text({ name: "session" }).pipe(
      Args.withDescription("Session name to kill, e.g. ao-int-1234; several are killed in turn"),
      Args.atLeast(1)
    ),
    json,
    force: Options.boolean("force").pipe(
      Options.withDescription("Remove the worktree even when something in it cannot be saved (named first; without it, nothing is touched)")
    )
  },
  (input) =>
  lazy(() => import("./commands/session-kill"), (command) => command.sessionKill(input))
).pipe(
  Command.withDescription(
    "Kill a session: its tmux session, its worktree (everything in it is saved first) and mark it killed"
  )
)

const cleanup = Command.make(
  "cleanup",
  {
    project,
    dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Show what would be cleaned up without doing it")),
    json
  },
  (input) =>
    lazy(() => import("./commands/session-cleanup"), (command) => command.sessionCleanup(input))
).pipe(Command.withDescription("Kill sessions whose PR is merged, whose issue is closed or whose runtime is dead"))

const restore = Command.make(
  "restore",
  {
    session: Args.text({ name: "session" }).pipe(
      Args.withDescription("Session name to restore (omit with --all)"),
      Args.optional
    ),
    all: Options.boolean("all").pipe(Options.withDescription("Restore every session whose runtime is dead")),
    recreate: Options.boolean("recreate").pipe(
      Options.withDescription(
        "Rebuild a deleted worktree from its branch and re-apply the latest snapshot (with --all: every one that is gone)"
      )
    ),
    json
  },
  (input) =>
    lazy(() => import("./commands/session-restore"), (command) => command.sessionRestore(input))
).pipe(Command.withDescription("Restore a terminated or crashed session in place"))

const attach = Command.make("attach", { session: sessionArg }, (input) =>
  lazy(() => import("./commands/session-attach"), (command) => command.sessionAttach(input))
).pipe(Command.withDescription("Attach this terminal to a session's tmux session"))

const session = Command.make("session").pipe(
  Command.withDescription("Manage agent sessions: ls, kill, cleanup, restore, attach"),
  Command.withSubcommands([ls, kill, cleanup, restore, attach])
)

const waiting = Options.boolean("waiting").pipe(
  Options.withDescription("Only the sessions waiting for a person (a permission prompt or a question)")
)

const status = Command.make("status", { project, json, refresh, waiting }, (input) =>
  lazy(() => import("./commands/status"), (command) => command.status(input))
).pipe(Command.withDescription("Every session with branch, status, runtime, PR and issue state, last activity"))

const send = Command.make(
  "send",
  {
    session: sessionArg,
    message: Args.text({ name: "message" }).pipe(
      Args.withDescription("The text to paste into the agent's prompt; several words are joined with spaces"),
      Args.repeated
    ),
    file: Options.file("file", { exists: "yes" }).pipe(
      Options.withPseudoName("path"),
      Options.withDescription("Send the contents of this file instead of a message"),
      Options.optional
    ),
    key: Options.text("key").pipe(
      Options.withPseudoName("key"),
      Options.withDescription("Press a key instead of sending text: Escape, C-c (interrupts the agent), Enter, Up, Down or Tab"),
      Options.optional
    ),
    noWait: Options.boolean("no-wait").pipe(Options.withDescription("Type the message and press Enter without waiting to confirm it arrived")),
    json
  },
  (input) => lazy(() => import("./commands/send"), (command) => command.send(input))
).pipe(
  Command.withDescription(
    "Paste text into a session's agent and confirm it arrived (exit code 3: typed but not confirmed), or press a key with --key"
  )
)

const logs = Command.make(
  "logs",
  {
    session: sessionArg,
    lines: Options.integer("lines").pipe(
      Options.withAlias("n"),
      Options.withPseudoName("n"),
      Options.withDescription("How many of the pane's last lines to print (default 50)"),
      Options.optional
    ),
    follow: Options.boolean("follow").pipe(
      Options.withAlias("f"),
      Options.withDescription("Keep printing what the agent adds until the session ends (Ctrl-C to stop)")
    ),
    ansi: Options.boolean("ansi").pipe(Options.withDescription("Keep the colours and other terminal codes (stripped by default)")),
    json
  },
  (input) => lazy(() => import("./commands/logs"), (command) => command.logs(input))
).pipe(Command.withDescription("Print a session's recent output without attaching; -f follows it"))

const doctor = Command.make(
  "doctor",
  {
    fix: Options.boolean("fix").pipe(
      Options.withDescription("Repair what is safe to repair (worktrees are snapshotted before removal) and say what was done")
    ),
    json
  },
  (input) => lazy(() => import("./commands/doctor"), (command) => command.doctor(input))
).pipe(
  Command.withDescription(
    "Compare the session records with tmux, git worktrees and locks and report every drift; exit code 1 while problems remain"
  )
)

const projectAdd = Command.make(
  "add",
  {
    path: Args.directory({ name: "path", exists: "yes" }).pipe(
      Args.withDescription("The git repository (or a directory in it); default: the current directory"),
      Args.optional
    ),
    id: Options.text("id").pipe(
      Options.withPseudoName("id"),
      Options.withDescription("The project id (default: the id the repository's own config gives it, else its directory name)"),
      Options.optional
    ),
    json
  },
  (input) => lazy(() => import("./commands/project"), (command) => command.projectAdd(input))
).pipe(
  Command.withDescription(
    "Register a git repository in your config ($XDG_CONFIG_HOME/ao/agent-orchestrator.yaml), so every command knows it from any directory"
  )
)

const projectLs = Command.make("ls", { json }, (input) =>
  lazy(() => import("./commands/project"), (command) => command.projectLs(input))
).pipe(Command.withDescription("List the projects ao knows here, the file that defines each, and whether its commands may run"))

const projects = Command.make("project").pipe(
  Command.withDescription("Manage the repositories ao knows: add, ls"),
  Command.withSubcommands([projectAdd, projectLs])
)

const trust = Command.make(
  "trust",
  {
    path: Args.path({ name: "path", exists: "yes" }).pipe(
      Args.withDescription("The agent-orchestrator.yaml, or a directory holding one; default: the nearest one"),
      Args.optional
    ),
    json
  },
  (input) => lazy(() => import("./commands/trust"), (command) => command.trust(input))
).pipe(
  Command.withDescription(
    "Let a repository's agent-orchestrator.yaml run its agent commands (shown) until the file changes; your own config never needs it"
  )
)

const watch = Command.make(
  "watch",
  {
    interval: Options.text("interval").pipe(
      Options.withPseudoName("duration"),
      Options.withDescription("Time between passes: 30s (default), 2m, 1h"),
      Options.withDefault("30s")
    ),
    once: Options.boolean("once").pipe(Options.withDescription("Make one pass and exit (for cron and scripts)")),
    wait: Options.boolean("wait").pipe(
      Options.withDescription("If another watcher leads this store, wait until it stops instead of exiting")
    ),
    project,
    json: Options.boolean("json").pipe(Options.withDescription("Print each pass as one JSON line on stdout"))
  },
  (input) => lazy(() => import("./commands/watch"), (command) => command.watch(input))
).pipe(
  Command.withDescription(
    "Watch PRs, CI, reviews and agents: send failures and review comments to the agent once, tell a person when one is needed"
  )
)

const events = Command.make(
  "events",
  {
    follow: Options.boolean("follow").pipe(Options.withAlias("f"), Options.withDescription("Keep printing new events as they happen (Ctrl-C to stop)")),
    session: Options.text("session").pipe(
      Options.withPseudoName("name"),
      Options.withDescription("Only this session's events"),
      Options.optional
    ),
    json: Options.boolean("json").pipe(
      Options.withDescription("Print JSON on stdout: an array, or one object per line with -f")
    )
  },
  (input) => lazy(() => import("./commands/events"), (command) => command.events(input))
).pipe(
  Command.withDescription("The event log: kills, cleanups, state changes, reactions sent, notifications, escalations, each with its reason")
)

export const ao = Command.make("ao").pipe(
  Command.withDescription("Run fleets of AI coding agents in parallel, each in its own git worktree and tmux session"),
  Command.withSubcommands([init, spawn, session, status, send, logs, doctor, projects, trust, watch, events])
)

/** What help pages and usage lines read of a command: its help document, in which cli.ts's descriptions are. */
export interface CommandInfo {
  readonly help: () => HelpDoc.HelpDoc
}

const info = <Name extends string, R, E, A>(command: Command.Command<Name, R, E, A>): CommandInfo => ({
  help: () => Command.getHelp(command, CliConfig.defaultConfig)
})

/** Every command by the words that name it, for help pages and the usage line of a usage error. */
export const commandsByPath: ReadonlyArray<readonly [ReadonlyArray<string>, CommandInfo]> = [
  [["ao"], info(ao)],
  [["ao", "init"], info(init)],
  [["ao", "spawn"], info(spawn)],
  [["ao", "session"], info(session)],
  [["ao", "session", "ls"], info(ls)],
  [["ao", "session", "kill"], info(kill)],
  [["ao", "session", "cleanup"], info(cleanup)],
  [["ao", "session", "restore"], info(restore)],
  [["ao", "session", "attach"], info(attach)],
  [["ao", "status"], info(status)],
  [["ao", "send"], info(send)],
  [["ao", "logs"], info(logs)],
  [["ao", "doctor"], info(doctor)],
  [["ao", "project"], info(projects)],
  [["ao", "project", "add"], info(projectAdd)],
  [["ao", "project", "ls"], info(projectLs)],
  [["ao", "trust"], info(trust)],
  [["ao", "watch"], info(watch)],
  [["ao", "events"], info(events)]
]
