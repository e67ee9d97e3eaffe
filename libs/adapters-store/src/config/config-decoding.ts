import { readFileSync } from "node:fs"
import { basename, dirname } from "node:path"
import {
  AgentSpec,
  ConfigInvalid,
  DEFAULT_STARTUP_CHECK_SECONDS,
  Project,
  ProjectId,
  RepoSlug,
  SessionPrefix,
  TASK_PLACEHOLDERS,
  unknownPlaceholders
} from "@ao/domain"
import { Either, Option, ParseResult, Schema } from "effect"
import { type Document, LineCounter, parseDocument } from "yaml"
import { absolutePath } from "../environment"
import { AGENT_PRESETS } from "./agent-presets"
import { splitCommandLine } from "./command-line"
import { type ContainerConfig, containerConfig } from "./container-config"
import { ConfigFile, type Defaults, type NotifierEntry, PROJECT_ID_RULE, type ProjectEntry } from "./config-file"
import { derivePrefix } from "./session-prefix"
import { lineOf } from "./yaml-locations"

/** Everything agent-orchestrator.yaml configures, with defaults applied and paths absolute. */
export interface LoadedConfig {
  /** The file it was read from. */
  readonly source: string
  readonly projects: ReadonlyArray<Project>
  /** `watchRequestsPerMinute`: the most GitHub requests `ao watch` starts per minute (absent: DEFAULT_WATCH_REQUESTS_PER_MINUTE). */
  readonly github: { readonly apiUrl: string; readonly watchRequestsPerMinute?: number }
  /** The HTTP API's port. */
  readonly port: number
  /** What a snapshot leaves out: regenerable directories, files over the size limit. */
  readonly snapshot: { readonly skip: ReadonlyArray<string>; readonly maxFileBytes: number }
  /** The containers of each project with `runtime: docker`, by project id; tmux projects are absent. */
  readonly containers?: Readonly<Record<string, ContainerConfig>>
  /** How `ao watch` tells people; absent: the desktop only. */
  readonly notifiers?: ReadonlyArray<NotifierEntry>
}

export const DEFAULT_PORT = 3000
/** A pass costs one request per repository plus a few job logs: 60 a minute leaves room and stays far below GitHub's 5,000 an hour. */
export const DEFAULT_WATCH_REQUESTS_PER_MINUTE = 60
export const DEFAULT_GITHUB_API_URL = "https://api.github.com"
export const DEFAULT_WORKTREE_DIR = "~/.worktrees"
export const DEFAULT_IDLE_AFTER_SECONDS = 300
export const DEFAULT_BRANCH = "main"
export const DEFAULT_AGENT = "claude"
export const DEFAULT_SNAPSHOT_SKIP: ReadonlyArray<string> = ["node_modules/", ".venv/", "target/", "__pycache__/", ".next/", ".cache/"]
export const DEFAULT_SNAPSHOT_MAX_FILE_BYTES = 50 * 1024 * 1024

type Path = ReadonlyArray<PropertyKey>
interface Problem {
  readonly path: Path
  readonly text: string
}

const decodeFile = Schema.decodeUnknownEither(ConfigFile, { errors: "all", onExcessProperty: "error" })

const valueAt = (root: unknown, path: Path): unknown =>
  path.reduce<unknown>(
    (node, key) => (typeof node === "object" && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined),
    root
  )

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1)

/**
 * Schema's issues, one readable line per field. A union reports every member
 * it tried; the useful ones are kept: the shape the user started writing
 * (deeper issues win over "expected string"), never the "expected null" that
 * comes from allowing empty YAML values.
 */
const schemaProblems = (error: ParseResult.ParseError, raw: unknown): ReadonlyArray<Problem> => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const key = (path: Path) => path.map(String).join("\u0000")
  const deeper = (path: Path) =>
    issues.some((issue) => issue.path.length > path.length && key(issue.path.slice(0, path.length)) === key(path))
  const byPath = new Map<string, { path: Path; messages: Array<string>; unexpected: boolean }>()
  for (const issue of issues) {
    if (issue._tag === "Type" && (/^Expected (null|undefined),/.test(issue.message) || deeper(issue.path))) continue
    const entry = byPath.get(key(issue.path)) ?? { path: issue.path, messages: [], unexpected: issue._tag === "Unexpected" }
    entry.messages.push(issue.message)
    byPath.set(key(issue.path), entry)
  }
  return [...byPath.values()].map(({ messages, path, unexpected }) => {
    if (unexpected) return { path, text: unknownKey(path, messages[0] ?? "") }
    if (messages.every((message) => message === "is missing")) return { path, text: "is required" }
    // "Expected string, actual 1" and a custom "expected owner/name" read alike: "expected …".
    const expected = [...new Set(messages.map((message) => lowerFirst(message.replace(/, actual .*$/s, ""))))]
    return { path, text: `${expected.join(" or ").replace(/ or expected /g, " or ")}, got ${JSON.stringify(valueAt(raw, path))}` }
  })
}

const unknownKey = (path: Path, message: string): string => {
  const name = String(path[path.length - 1])
  if (path.length === 2 && path[0] === "projects") {
    return `invalid project id ${JSON.stringify(name)}: ${PROJECT_ID_RULE}`
  }
  const allowed = [...message.matchAll(/"([^"]+)"/g)].map((match) => match[1])
  return `unknown key ${JSON.stringify(name)}${allowed.length > 0 ? ` (allowed here: ${allowed.join(", ")})` : ""}`
}

/** Turns what the file says into Projects: presets resolved, commands split, paths absolute. */
const resolveProjects = (file: ConfigFile, configDir: string, homeDir: string) => {
  const problems: Array<Problem> = []
  const splitAt = (path: Path, line: string | ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
    if (typeof line !== "string") return line
    const split = splitCommandLine(line)
    if (Either.isRight(split)) return split.right
    problems.push({ path, text: `cannot split the command ${JSON.stringify(line)}: ${split.left}` })
    return undefined
  }
  const specOf = (
    path: Path,
    name: string,
    definition: { readonly launch: string | ReadonlyArray<string>; readonly resume: string | ReadonlyArray<string>; readonly promptFlag?: string }
  ): AgentSpec | undefined => {
    const launch = splitAt([...path, "launch"], definition.launch)
    const resume = splitAt([...path, "resume"], definition.resume)
    if (launch === undefined || resume === undefined) return undefined
    return new AgentSpec({
      name,
      launch: launch as readonly [string, ...Array<string>],
      resume: resume as readonly [string, ...Array<string>],
      promptFlag: Option.fromNullable(definition.promptFlag)
    })
  }

  // Named agents: the presets, then the file's `agents` (which may redefine a preset).
  const named = new Map(AGENT_PRESETS.map((preset) => [preset.name, preset]))
  for (const [name, definition] of Object.entries(file.agents ?? {})) {
    const spec = specOf(["agents", name], name, definition)
    if (spec !== undefined) named.set(name, spec)
  }

  const agentFor = (path: Path, choice: NonNullable<ProjectEntry["agent"]>): AgentSpec | undefined => {
    if (typeof choice !== "string") {
      const launchName = typeof choice.launch === "string" ? splitAt([...path, "launch"], choice.launch)?.[0] : choice.launch[0]
      if (launchName === undefined) return undefined
      return specOf(path, choice.name ?? basename(launchName), choice)
    }
    const found = named.get(choice)
    if (found === undefined) {
      problems.push({ path, text: `unknown agent ${JSON.stringify(choice)}; known agents: ${[...named.keys()].join(", ")}` })
    }
    return found
  }

  /** The template as text with its source; a file is read here, so a missing one is a config error with its line. */
  const templateOf = (
    path: Path,
    choice: NonNullable<ProjectEntry["prompt"]>
  ): Option.Option<{ readonly source: string; readonly text: string }> | undefined => {
    const template =
      typeof choice === "string" ? { source: "inline", text: choice } : readTemplate(path, absolutePath(choice.file, configDir, homeDir))
    if (template === undefined) return undefined
    const unknown = unknownPlaceholders(template.text)
    if (unknown.length > 0) {
      problems.push({
        path,
        text: `unknown placeholder${unknown.length > 1 ? "s" : ""} ${unknown.map((name) => `{{${name}}}`).join(", ")}${template.source === "inline" ? "" : ` in ${template.source}`}; known: ${Object.keys(TASK_PLACEHOLDERS).map((name) => `{{${name}}}`).join(", ")}`
      })
      return undefined
    }
    return Option.some(template)
  }
  const readTemplate = (path: Path, file: string) => {
    try {
      return { source: file, text: readFileSync(file, "utf8") }
    } catch (error) {
      const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "unreadable"
      problems.push({ path, text: `cannot read the prompt template ${file} (${code}); fix the path or write the template inline` })
      return undefined
    }
  }

  const defaults: Defaults = file.defaults ?? {}
  const defaultAgent = defaults.agent === undefined ? named.get(DEFAULT_AGENT) : agentFor(["defaults", "agent"], defaults.agent)
  const prefixOwners = new Map<string, string>()
  const projects: Array<Project> = []
  const containers: Record<string, ContainerConfig> = {}

  for (const [id, entry] of Object.entries(file.projects)) {
    if (entry.runtime === "docker") {
      if (entry.docker === undefined) {
        problems.push({ path: ["projects", id, "runtime"], text: "runtime docker needs a `docker:` block with at least `image:`" })
      } else {
        containers[id] = containerConfig(entry.docker, configDir, homeDir)
      }
    } else if (entry.docker !== undefined) {
      problems.push({ path: ["projects", id, "docker"], text: "is only read with `runtime: docker`; add it, or remove the docker block" })
    }
    const agent = entry.agent === undefined ? defaultAgent : agentFor(["projects", id, "agent"], entry.agent)
    const sessionPrefix = entry.sessionPrefix ?? derivePrefix(id)
    const owner = prefixOwners.get(sessionPrefix)
    if (owner !== undefined) {
      problems.push({
        path: entry.sessionPrefix === undefined ? ["projects", id] : ["projects", id, "sessionPrefix"],
        text: `session prefix ${JSON.stringify(sessionPrefix)}${entry.sessionPrefix === undefined ? " (derived from the project id)" : ""} is already used by project ${owner}; give each project its own sessionPrefix`
      })
    }
    prefixOwners.set(sessionPrefix, owner ?? id)
    const repo = Option.fromNullable(entry.repo).pipe(Option.map((slug) => RepoSlug.make(slug)))
    // Issues (tracker) and pull requests (scm) are configured apart; with `repo` both default to GitHub.
    const byRepo = Option.isSome(repo) ? "github" : "none"
    const tracker = entry.tracker ?? defaults.tracker ?? byRepo
    const scm = entry.scm ?? defaults.scm ?? byRepo
    for (const [key, kind, what] of [
      ["tracker", tracker, "tracker"],
      ["scm", scm, "code host"]
    ] as const) {
      if (kind === "github" && Option.isNone(repo)) {
        problems.push({
          path: entry[key] === undefined ? ["projects", id] : ["projects", id, key],
          text: `the github ${what} needs the repository: add \`repo: owner/name\`, or set \`${key}: none\``
        })
      }
    }
    const promptChoice = entry.prompt ?? defaults.prompt
    const promptPath: Path = entry.prompt === undefined ? ["defaults", "prompt"] : ["projects", id, "prompt"]
    const taskTemplate = promptChoice === undefined ? Option.none() : templateOf(promptPath, promptChoice)
    if (agent === undefined || taskTemplate === undefined) continue
    projects.push(
      new Project({
        id: ProjectId.make(id),
        name: entry.name ?? id,
        repo,
        path: absolutePath(entry.path, configDir, homeDir),
        defaultBranch: entry.defaultBranch ?? defaults.defaultBranch ?? DEFAULT_BRANCH,
        sessionPrefix: SessionPrefix.make(sessionPrefix),
        agent,
        agents: [...named.values()],
        worktreeDir: absolutePath(entry.worktreeDir ?? defaults.worktreeDir ?? DEFAULT_WORKTREE_DIR, configDir, homeDir),
        tracker,
        scm,
        idleAfterSeconds: entry.idleAfter ?? defaults.idleAfter ?? DEFAULT_IDLE_AFTER_SECONDS,
        taskTemplate,
        ...(entry.reactions === undefined ? {} : { reactions: entry.reactions }),
        startupCheckSeconds: entry.startupCheck ?? defaults.startupCheck ?? DEFAULT_STARTUP_CHECK_SECONDS
      })
    )
  }
  return { projects, containers, problems }
}

const describe = (problems: ReadonlyArray<Problem>, document: Document, lineCounter: LineCounter): string =>
  problems
    .map(({ path, text }) => {
      const line = lineOf(document, lineCounter, path)
      const where = path.length === 0 ? "" : path.map(String).join(".")
      return `${where}${line === undefined ? "" : `${where.length > 0 ? " " : ""}(line ${line})`}${where.length > 0 || line !== undefined ? ": " : ""}${text}`
    })
    .join("; ")

/**
 * Reads agent-orchestrator.yaml. Every mistake — YAML syntax, an unknown or
 * misspelt key, a wrong type, an unknown agent, a shared session prefix —
 * becomes ConfigInvalid naming the file, the field and its line.
 */
export const decodeConfig = (options: {
  readonly path: string
  readonly text: string
  readonly homeDir: string
}): Either.Either<LoadedConfig, ConfigInvalid> => {
  const invalid = (problem: string) => Either.left(new ConfigInvalid({ path: options.path, problem }))
  const lineCounter = new LineCounter()
  const document = parseDocument(options.text, { lineCounter, uniqueKeys: true })
  const syntaxError = document.errors[0]
  if (syntaxError !== undefined) {
    return invalid(`not valid YAML: ${(syntaxError.message.split("\n")[0] ?? "").replace(/:$/, "")}`)
  }
  const raw: unknown = document.toJS({ maxAliasCount: 100 })
  if (raw === null || raw === undefined) return invalid("the file is empty; it needs a `projects:` section")
  if (typeof raw !== "object" || Array.isArray(raw)) return invalid("expected a mapping with a `projects:` section at the top")
  const decoded = decodeFile(raw)
  if (Either.isLeft(decoded)) return invalid(describe(schemaProblems(decoded.left, raw), document, lineCounter))
  const { containers, problems, projects } = resolveProjects(decoded.right, dirname(options.path), options.homeDir)
  if (problems.length > 0) return invalid(describe(problems, document, lineCounter))
  return Either.right({
    source: options.path,
    projects,
    github: {
      apiUrl: decoded.right.github?.apiUrl ?? DEFAULT_GITHUB_API_URL,
      ...(decoded.right.github?.watchRequestsPerMinute === undefined ? {} : { watchRequestsPerMinute: decoded.right.github.watchRequestsPerMinute })
    },
    port: decoded.right.port ?? DEFAULT_PORT,
    ...(decoded.right.notifiers === undefined ? {} : { notifiers: decoded.right.notifiers }),
    snapshot: {
      skip: decoded.right.snapshot?.skip ?? DEFAULT_SNAPSHOT_SKIP,
      maxFileBytes: decoded.right.snapshot?.maxFileBytes ?? DEFAULT_SNAPSHOT_MAX_FILE_BYTES
    },
    containers
  })
}
