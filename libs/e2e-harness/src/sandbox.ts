import { execa } from "execa"
import { chmod, mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { aoBinary } from "./workspace-root"
import { STAND_IN_AGENT_SCRIPT } from "./stand-in-agent"

/** Where a sandbox keeps everything; all of it lives under `root` and goes with `dispose`. */
export interface SandboxPaths {
  readonly root: string
  readonly home: string
  /** AO_HOME: session records and the event log. */
  readonly aoHome: string
  /** TMUX_TMPDIR: the private tmux server's socket lives here, never the user's. */
  readonly tmuxTmpdir: string
  /** The project's git repository (branch `main`, one commit, pushed to `origin`). */
  readonly repo: string
  /** The bare repository the project's `origin` remote points at. */
  readonly origin: string
  readonly agentScript: string
  /** Where the config is written (AO_CONFIG_PATH, or inside the repository). */
  readonly configPath: string
  readonly projectId: string
}

export interface SandboxOptions {
  /** The project id, also the repository's directory name. Default `demo`. */
  readonly projectId?: string
  /**
   * The config text; default `sandboxConfig()`. `null` writes none (for `ao init`
   * and "no config" tests).
   */
  readonly config?: ((paths: SandboxPaths) => string) | null
  /** `env`: AO_CONFIG_PATH points at `<root>/agent-orchestrator.yaml`; `repo`: the file sits in the repository. */
  readonly configLocation?: "env" | "repo"
  /** Extra environment for every `ao` run (GITHUB_API_URL, GITHUB_TOKEN, …). */
  readonly env?: Readonly<Record<string, string>>
}

export interface AoResult {
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: number
}

export interface RunOptions {
  readonly cwd?: string
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly input?: string
}

/** A GitHub-tracked project: its repository and the API (the loopback emulator) to ask. */
export interface GitHubProject {
  readonly repo: string
  readonly apiUrl: string
  /** `tracker: github` is written unless this says otherwise; `default` writes no `tracker:` (nor `scm:`) line. */
  readonly tracker?: "github" | "none" | "default"
}

/**
 * The sandbox's project with the stand-in agent as its agent (`launch` and
 * `resume` modes); worktrees go to the default `~/.worktrees` of the sandbox
 * HOME. Without `github` the project has no tracker. Strings are written as
 * JSON, which YAML reads as they are.
 */
export const sandboxConfig =
  (options: { readonly github?: GitHubProject } = {}) =>
  (paths: SandboxPaths): string => {
    const quote = (text: string) => JSON.stringify(text)
    const github = options.github
    return [
      "projects:",
      `  ${paths.projectId}:`,
      `    path: ${quote(paths.repo)}`,
      "    defaultBranch: main",
      `    sessionPrefix: ${paths.projectId}`,
      "    agent: stand-in",
      // The stand-in agent starts at once and keeps running: a short start check keeps the suites quick.
      "    startupCheck: 0.2",
      ...(github === undefined
        ? ["    tracker: none"]
        : [`    repo: ${quote(github.repo)}`, ...(github.tracker === "default" ? [] : [`    tracker: ${github.tracker ?? "github"}`])]),
      "agents:",
      "  stand-in:",
      `    launch: [${quote(paths.agentScript)}, launch]`,
      `    resume: [${quote(paths.agentScript)}, resume]`,
      ...(github === undefined ? [] : ["github:", `  apiUrl: ${quote(github.apiUrl)}`]),
      ""
    ].join("\n")
  }

export class Sandbox {
  readonly env: Readonly<Record<string, string>>

  constructor(
    readonly paths: SandboxPaths,
    extraEnv: Readonly<Record<string, string>>,
    configInEnv: boolean
  ) {
    // Only PATH comes from the outside: no user HOME, tmux server, git config or GitHub token leaks in.
    this.env = {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      LANG: "C.UTF-8",
      TERM: "xterm-256color",
      HOME: paths.home,
      XDG_CONFIG_HOME: join(paths.home, ".config"),
      XDG_DATA_HOME: join(paths.home, ".local", "share"),
      XDG_STATE_HOME: join(paths.home, ".local", "state"),
      XDG_CACHE_HOME: join(paths.home, ".cache"),
      AO_HOME: paths.aoHome,
      TMUX_TMPDIR: paths.tmuxTmpdir,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "ao e2e",
      GIT_AUTHOR_EMAIL: "e2e@ao.invalid",
      GIT_COMMITTER_NAME: "ao e2e",
      GIT_COMMITTER_EMAIL: "e2e@ao.invalid",
      ...(configInEnv ? { AO_CONFIG_PATH: paths.configPath } : {}),
      ...extraEnv
    }
  }

  /** Runs the built `ao` (node <bundle> …args) with the sandbox's environment; never throws on a non-zero exit. */
  async ao(args: ReadonlyArray<string>, options: RunOptions = {}): Promise<AoResult> {
    const result = await this.startAo(args, options)
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 }
  }

  /** Starts the built `ao` without waiting for it, so a test can signal it part way (crash injection). */
  startAo(args: ReadonlyArray<string>, options: RunOptions = {}) {
    return execa("node", [aoBinary(), ...args], {
      cwd: options.cwd ?? this.paths.repo,
      env: { ...this.env, ...options.env },
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      ...(options.input === undefined ? { stdin: "ignore" as const } : { input: options.input })
    })
  }

  /**
   * Starts the built `ao` on a pseudo-terminal (util-linux `script`), for
   * commands that need one (`ao session attach`). Resolves when it exits.
   */
  aoInTerminal(args: ReadonlyArray<string>): Promise<AoResult> {
    const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`
    const command = ["node", aoBinary(), ...args].map(quote).join(" ")
    return execa("script", ["--quiet", "--return", "--command", command, "/dev/null"], {
      cwd: this.paths.repo,
      env: this.env,
      extendEnv: false,
      reject: false,
      stdin: "ignore"
    }).then((result) => ({ stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 }))
  }

  /** A command run with the sandbox's environment; throws on a non-zero exit. */
  async run(file: string, args: ReadonlyArray<string>, cwd: string = this.paths.repo): Promise<string> {
    const result = await execa(file, args, { cwd, env: this.env, extendEnv: false, stdin: "ignore" })
    return result.stdout
  }

  git(args: ReadonlyArray<string>, cwd: string = this.paths.repo): Promise<string> {
    return this.run("git", args, cwd)
  }

  /** tmux on the sandbox's private server. */
  tmux(args: ReadonlyArray<string>): Promise<string> {
    return this.run("tmux", args)
  }

  /** Names of the sessions on the private tmux server (none when no server runs). */
  async tmuxSessions(): Promise<ReadonlyArray<string>> {
    const result = await execa("tmux", ["list-sessions", "-F", "#{session_name}"], {
      env: this.env,
      extendEnv: false,
      reject: false,
      stdin: "ignore"
    })
    if (result.exitCode === 0) return result.stdout.split("\n").filter((line) => line !== "")
    // No server, or one exiting because its last session just ended: either way, no sessions.
    if (/no server running|error connecting|No such file|server exited/i.test(result.stderr)) return []
    throw new Error(`tmux list-sessions failed: ${result.stderr}`)
  }

  /** The visible pane of a session, by exact name. */
  capturePane(session: string): Promise<string> {
    return this.tmux(["capture-pane", "-p", "-J", "-S", "-200", "-t", `=${session}:`])
  }

  /** Ends the private tmux server, like a reboot does to every session. */
  async killTmuxServer(): Promise<void> {
    await execa("tmux", ["kill-server"], { env: this.env, extendEnv: false, reject: false, stdin: "ignore" })
  }

  /** Worktree paths of the project's repository, the main one excluded. */
  async worktrees(): Promise<ReadonlyArray<string>> {
    const porcelain = await this.git(["worktree", "list", "--porcelain"])
    const paths = porcelain
      .split("\n")
      .filter((line) => line.startsWith("worktree "))
      .map((line) => line.slice("worktree ".length))
    return paths.filter((path) => path !== this.paths.repo)
  }

  /** Ref names under `prefix` in the project's repository, e.g. `refs/ao/snapshots/demo-s1/`. */
  async refs(prefix: string): Promise<ReadonlyArray<string>> {
    const out = await this.git(["for-each-ref", "--format=%(refname)", prefix])
    return out.split("\n").filter((line) => line !== "")
  }

  /** Polls until `check` holds, e.g. for the agent's banner to appear in its pane. */
  async waitFor(what: string, check: () => Promise<boolean>, attempts = 100): Promise<void> {
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (await check()) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`gave up waiting for ${what}`)
  }

  /** Kills the private tmux server and removes every file the sandbox made. */
  async dispose(): Promise<void> {
    await this.killTmuxServer()
    await rm(this.paths.root, { recursive: true, force: true })
  }
}

/** A fresh sandbox: temp HOME, private tmux, a git repository with an `origin`, a stand-in agent and a config. */
export const createSandbox = async (options: SandboxOptions = {}): Promise<Sandbox> => {
  const projectId = options.projectId ?? "demo"
  // realpath: on some systems tmpdir is a symlink, and git and tmux report resolved paths.
  const root = await realpath(await mkdtemp(join(tmpdir(), "ao-e2e-")))
  const configLocation = options.configLocation ?? "env"
  const repo = join(root, projectId)
  const paths: SandboxPaths = {
    root,
    home: join(root, "home"),
    aoHome: join(root, "home", ".agent-orchestrator"),
    tmuxTmpdir: join(root, "tmux"),
    repo,
    origin: join(root, "origin.git"),
    agentScript: join(root, "bin", "stand-in-agent"),
    configPath: configLocation === "env" ? join(root, "agent-orchestrator.yaml") : join(repo, "agent-orchestrator.yaml"),
    projectId
  }
  await Promise.all([
    mkdir(paths.home, { recursive: true }),
    mkdir(paths.tmuxTmpdir, { recursive: true }),
    mkdir(join(root, "bin"), { recursive: true })
  ])
  await writeFile(paths.agentScript, STAND_IN_AGENT_SCRIPT)
  await chmod(paths.agentScript, 0o755)

  const sandbox = new Sandbox(paths, options.env ?? {}, configLocation === "env")
  await sandbox.run("git", ["init", "--quiet", "--bare", "-b", "main", paths.origin], root)
  await sandbox.run("git", ["init", "--quiet", "-b", "main", repo], root)
  await writeFile(join(repo, "README.md"), `# ${projectId}\n`)
  await sandbox.git(["add", "README.md"])
  await sandbox.git(["commit", "--quiet", "-m", "Initial commit"])
  await sandbox.git(["remote", "add", "origin", paths.origin])
  await sandbox.git(["push", "--quiet", "-u", "origin", "main"])

  const config = options.config === undefined ? sandboxConfig() : options.config
  if (config !== null) await writeFile(paths.configPath, config(paths))
  return sandbox
}
