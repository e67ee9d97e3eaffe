import { type AoResult, createSandbox, type Sandbox } from "@ao/e2e-harness"
import { existsSync } from "node:fs"
import { readdir, readFile, writeFile } from "node:fs/promises"
import { join, relative } from "node:path"
import { sandboxLayout } from "./invariants"

/**
 * One bad input: what `ao` is run with (after `arrange` has broken a file),
 * and the words its error must contain so the user knows which input it was.
 */
export interface BadInputCase {
  readonly name: string
  readonly args: ReadonlyArray<string>
  /** Each must appear in the error output. */
  readonly names: ReadonlyArray<string>
  /** Breaks a file before the run; the file is put back afterwards. */
  readonly arrange?: { readonly path: (sandbox: Sandbox) => string; readonly content: (original: string) => string }
  /** A well-formed command on a name that collides by prefix: it may succeed, but must touch nothing. */
  readonly mayDoNothing?: boolean
}

export interface BadInputFigures {
  readonly cases: number
  readonly withSideEffects: ReadonlyArray<{ readonly name: string; readonly changed: ReadonlyArray<string> }>
  readonly unclear: ReadonlyArray<{ readonly name: string; readonly exitCode: number; readonly output: string }>
}

const SESSION_NAMES: ReadonlyArray<readonly [string, string]> = [
  ["a path out", "../x"],
  ["a slash", "a/b"],
  ["spaces", "demo 10"],
  ["empty", ""],
  ["300 characters", "a".repeat(300)],
  ["a leading dash", "-demo-s10"],
  ["unicode", "démo-10"],
  ["a path into another session", "demo-s1/../demo-s10"],
  ["upper case", "DEMO-10"],
  ["a newline", "demo-s10\nx"]
]

const config = (sandbox: Sandbox) => sandbox.paths.configPath
const recordOf = (id: string) => (sandbox: Sandbox) => join(sandboxLayout(sandbox).active, `${id}.json`)
const replaceLine = (pattern: RegExp, line: string) => (original: string) => original.replace(pattern, line)

/** Every case; `demo-s1` is killed while `demo-s10` runs, `demo-s5` runs. */
export const badInputCases = (): ReadonlyArray<BadInputCase> => [
  ...SESSION_NAMES.flatMap(([label, input]): ReadonlyArray<BadInputCase> => {
    // The name as the error quotes it: every output contains an empty string, so the empty name is named by its quotes and the reason.
    const names = input === "" ? ['Invalid session name ""', "it is empty"] : [input.split("\n")[0] ?? input]
    return [
      { name: `kill: session name with ${label}`, args: ["session", "kill", input], names },
      { name: `restore: session name with ${label}`, args: ["session", "restore", input], names },
      { name: `send: session name with ${label}`, args: ["send", input, "hello"], names }
    ]
  }),
  // Prefix collisions: demo-s1 is killed, demo-s10 lives; nothing may reach demo-s10.
  { name: "kill of the killed demo-s1 while demo-s10 lives", args: ["session", "kill", "demo-s1"], names: [], mayDoNothing: true },
  { name: "restore of the killed demo-s1 while demo-s10 lives", args: ["session", "restore", "demo-s1"], names: ["Workspace missing"] },
  { name: "send to the killed demo-s1 while demo-s10 lives", args: ["send", "demo-s1", "for demo-s1 only"], names: ["demo-s1"] },
  { name: "kill of demo-s1 by a prefix of demo-s10's", args: ["session", "kill", "demo-"], names: ["demo-"] },
  // Messages.
  { name: "send: an empty message", args: ["send", "demo-s10", ""], names: ["message"] },
  { name: "send: a message of only white space and newlines", args: ["send", "demo-s10", " \n\t\n "], names: ["message"] },
  { name: "send: a huge multi-line message to a killed session", args: ["send", "demo-s1", `${"line of text\n".repeat(8000)}end`], names: ["demo-s1"] },
  { name: "send: a missing message file", args: ["send", "demo-s10", "--file", "/nonexistent/message.txt"], names: ["/nonexistent/message.txt"] },
  // Control characters and escape sequences: refused with the offset, nothing typed.
  { name: "send: Ctrl-C inside a message", args: ["send", "demo-s10", "hello\u0003"], names: ["Ctrl-C", "offset 5"] },
  { name: "send: an early end of bracketed paste", args: ["send", "demo-s10", "ok\u001b[201~rm -rf ~"], names: ["ESC", "offset 2"] },
  { name: "send: an OSC 52 clipboard write", args: ["send", "demo-s10", "\u001b]52;c;ZXZpbA==\u0007"], names: ["ESC", "offset 0"] },
  { name: "send: a carriage return", args: ["send", "demo-s10", "yes\rno"], names: ["carriage return", "offset 3"] },
  { name: "send: DEL", args: ["send", "demo-s10", "x\u007f"], names: ["DEL", "offset 1"] },
  { name: "send: an 8-bit CSI", args: ["send", "demo-s10", "red \u009b31m"], names: ["CSI", "offset 4"] },
  { name: "send: a key not on the list", args: ["send", "demo-s10", "--key", "C-d"], names: ["key", "Escape, C-c"] },
  // Config files: each field wrong, truncated, duplicate prefixes, unknown keys.
  ...(
    [
      ["truncated YAML", (original: string) => original.slice(0, original.indexOf("launch: [") + 12), ["agent-orchestrator.yaml"]],
      ["projects is not a map", () => "projects: 42\n", ["projects"]],
      ["path of the wrong type", replaceLine(/^ {4}path: .*$/m, "    path: [1, 2]"), ["path"]],
      ["defaultBranch of the wrong type", replaceLine(/^ {4}defaultBranch: .*$/m, "    defaultBranch: {}"), ["defaultBranch"]],
      ["sessionPrefix not allowed", replaceLine(/^ {4}sessionPrefix: .*$/m, '    sessionPrefix: "Bad Prefix!"'), ["sessionPrefix"]],
      ["unknown agent", replaceLine(/^ {4}agent: .*$/m, "    agent: nobody"), ["nobody"]],
      ["unknown tracker", replaceLine(/^ {4}tracker: .*$/m, "    tracker: jira"), ["tracker"]],
      ["unknown key in a project", replaceLine(/^ {4}tracker: .*$/m, "    tracker: none\n    trackr: github"), ["trackr"]],
      ["unknown top-level key", (original: string) => `${original}colour: blue\n`, ["colour"]],
      [
        "duplicate session prefixes",
        (original: string) => `${original.replace(/^agents:/m, '  other:\n    path: "/tmp"\n    sessionPrefix: demo\nagents:')}`,
        ["already used"]
      ],
      ["empty file", () => "", ["agent-orchestrator.yaml"]]
    ] as const
  ).flatMap(([label, content, names]): ReadonlyArray<BadInputCase> => [
    { name: `config: ${label} (ls)`, args: ["session", "ls"], names, arrange: { path: config, content } },
    { name: `config: ${label} (spawn)`, args: ["spawn", "demo"], names, arrange: { path: config, content } }
  ]),
  // Listing still works when a project's repository has moved; only spawning there must fail.
  {
    name: "config: path that is no repository (spawn)",
    args: ["spawn", "demo"],
    names: ["/nonexistent/repo"],
    arrange: { path: config, content: replaceLine(/^ {4}path: .*$/m, '    path: "/nonexistent/repo"') }
  },
  // Session files: truncated, empty, wrong types, unknown version.
  ...(
    [
      ["truncated", (original: string) => original.slice(0, Math.floor(original.length / 2))],
      ["empty", () => ""],
      ["of the wrong types", (original: string) => original.replace(/"status": "[a-z]+"/, '"status": 42')],
      ["of an unknown version", (original: string) => original.replace(/"version": 1/, '"version": 99')]
    ] as const
  ).flatMap(([label, content]): ReadonlyArray<BadInputCase> => [
    { name: `session file ${label} (restore)`, args: ["session", "restore", "demo-s5"], names: ["demo-s5.json"], arrange: { path: recordOf("demo-s5"), content } },
    { name: `session file ${label} (send)`, args: ["send", "demo-s5", "hello"], names: ["demo-s5.json"], arrange: { path: recordOf("demo-s5"), content } }
  ])
]

/**
 * The audit log may record a spawn that reserved a name and rolled back
 * completely (that is what it is for); any other line is a change.
 */
const auditedState = (path: string, content: string): string =>
  path.endsWith("events.jsonl")
    ? content
        .split("\n")
        .filter((line) => !line.includes('"kind":"spawn-rolled-back"'))
        .join("\n")
    : content

/** Everything a command could change: tmux sessions, worktrees, refs and branches, and every file ao keeps. */
const observe = async (sandbox: Sandbox): Promise<ReadonlyMap<string, string>> => {
  const seen = new Map<string, string>()
  seen.set("tmux sessions", [...(await sandbox.tmuxSessions())].sort().join(" "))
  seen.set("worktrees", await sandbox.git(["worktree", "list", "--porcelain"]))
  seen.set("refs and branches", await sandbox.git(["for-each-ref", "--format=%(refname) %(objectname)"]))
  const walk = async (dir: string): Promise<void> => {
    if (!existsSync(dir)) return
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) await walk(path)
      else seen.set(relative(sandbox.paths.root, path), auditedState(path, await readFile(path, "utf8")))
    }
  }
  await walk(sandbox.paths.aoHome)
  for (const worktree of existsSync(sandboxLayout(sandbox).worktreeDir) ? await readdir(sandboxLayout(sandbox).worktreeDir) : []) {
    seen.set(`worktree dir ${worktree}`, "present")
  }
  seen.set("config", await readFile(sandbox.paths.configPath, "utf8"))
  return seen
}

const differences = (before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): ReadonlyArray<string> =>
  [...new Set([...before.keys(), ...after.keys()])].filter((key) => before.get(key) !== after.get(key))

/** A clear error: non-zero, no stack trace or internal error, and it names the input. */
const isClear = (result: AoResult, names: ReadonlyArray<string>): boolean => {
  const output = `${result.stderr}\n${result.stdout}`
  return (
    result.exitCode !== 0 &&
    !/internal error|\n\s+at .+:\d+:\d+/.test(output) &&
    names.every((name) => output.toLowerCase().includes(name.toLowerCase()))
  )
}

/**
 * Every case against one sandbox: ten sessions (demo-s1 killed, so demo-s1 is
 * dead while demo-s10 lives). Each must fail with a clear error naming its
 * input and change nothing at all.
 */
export const runBadInput = async (): Promise<BadInputFigures> => {
  const sandbox = await createSandbox({ projectId: "demo" })
  try {
    for (let n = 1; n <= 10; n++) {
      const spawned = await sandbox.ao(["spawn", "demo"])
      if (spawned.exitCode !== 0) throw new Error(`setup spawn failed: ${spawned.stderr}`)
    }
    await sandbox.ao(["session", "kill", "demo-s1"])
    const cases = badInputCases()
    const withSideEffects: Array<BadInputFigures["withSideEffects"][number]> = []
    const unclear: Array<BadInputFigures["unclear"][number]> = []
    for (const badCase of cases) {
      const target = badCase.arrange?.path(sandbox)
      const original = target === undefined ? undefined : await readFile(target, "utf8")
      if (target !== undefined && original !== undefined && badCase.arrange !== undefined) {
        await writeFile(target, badCase.arrange.content(original))
      }
      const before = await observe(sandbox)
      const result = await sandbox.ao(badCase.args)
      const changed = differences(before, await observe(sandbox))
      if (target !== undefined && original !== undefined) await writeFile(target, original)
      if (changed.length > 0) withSideEffects.push({ name: badCase.name, changed })
      const clean = badCase.mayDoNothing === true ? result.exitCode === 0 || isClear(result, badCase.names) : isClear(result, badCase.names)
      if (!clean) unclear.push({ name: badCase.name, exitCode: result.exitCode, output: `${result.stderr}${result.stdout}`.slice(0, 600) })
    }
    return { cases: cases.length, withSideEffects, unclear }
  } finally {
    await sandbox.dispose()
  }
}
