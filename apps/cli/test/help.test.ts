import { describe, expect, it } from "vitest"
import { commandsByPath } from "../src/cli"
import { failureJson } from "../src/render/error-json"
import { helpDocsOf } from "../src/help/help-doc"
import { helpPage } from "../src/help/help-page"
import { helpRequest } from "../src/help/help-request"
import { helpWidth } from "../src/help/terminal-width"
import { wrapShell } from "../src/help/wrap"
import { usageLine } from "../src/usage-line"
import { SessionAlreadyExists, SessionNotFound, UnknownProject } from "@ao/domain"

const page = (path: ReadonlyArray<string>, width = 80) => helpPage(helpDocsOf(commandsByPath), path, "9.9.9", width)
const paths = commandsByPath.map(([path]) => path)

/** The lines of a page's section, up to the next blank line. */
const sectionOf = (text: string, title: string): ReadonlyArray<string> => {
  const lines = text.split("\n")
  const start = lines.indexOf(`${title}:`)
  if (start === -1) return []
  const end = lines.indexOf("", start)
  return lines.slice(start + 1, end === -1 ? undefined : end)
}

/** An example's lines put back together where they were broken with ` \`. */
const examplesOf = (text: string): ReadonlyArray<string> =>
  sectionOf(text, "Examples")
    .join("\n")
    .replace(/ \\\n +/g, " ")
    .split("\n")
    .map((line) => line.trim())

describe("help pages", () => {
  it.each([60, 72, 80, 100])("fit %i columns, every page", (width) => {
    for (const path of paths) {
      const long = page(path, width)
        .split("\n")
        .filter((line) => line.length > width)
      expect(long, path.join(" ")).toEqual([])
    }
  })

  it("say nothing of @effect/cli's own: no type boilerplate, no wizard", () => {
    for (const path of paths) {
      const text = page(path)
      expect(text, path.join(" ")).not.toMatch(/A user-defined piece of text|A true or false value|This setting is optional|wizard/i)
    }
  })

  it("show usage lines with the command's full path", () => {
    expect(page(["ao", "session", "ls"])).toContain("Usage: ao session ls [options]\n")
    expect(page(["ao", "session", "kill"])).toContain("Usage: ao session kill [options] <session>...\n")
    expect(page(["ao", "session", "restore"])).toContain("Usage: ao session restore [options] [<session>]\n")
    expect(page(["ao", "spawn"])).toContain("Usage: ao spawn [options] <project> [<issue>...]\n")
    expect(page(["ao", "session"])).toContain("Usage: ao session <command> [options]\n")
    for (const path of paths) expect(page(path)).toContain(`Usage: ${path.join(" ")}`)
  })

  it("describe every option and argument, with value names in angle brackets", () => {
    for (const path of paths) {
      const text = page(path)
      for (const title of ["Options", "Arguments", "Commands"]) {
        const lines = sectionOf(text, title)
        lines.forEach((line, index) => {
          if (!/^ {2}\S/.test(line)) return
          // A term with its description beside it, or on the next line when the term is long.
          const described = /^ {2}\S.*\S {2,}\S/.test(line) || /^ {6,}\S/.test(lines[index + 1] ?? "")
          expect(described, `${path.join(" ")}: ${line}`).toBe(true)
        })
      }
    }
    expect(sectionOf(page(["ao", "session", "ls"]), "Options")).toContainEqual(expect.stringMatching(/^ {2}-p, --project <id> +Filter by project ID$/))
    expect(sectionOf(page(["ao", "logs"]), "Options")).toContainEqual(expect.stringMatching(/^ {2}-n, --lines <n> +How many/))
  })

  it("list every command on the top page, by its full words", () => {
    const commands = sectionOf(page(["ao"]), "Commands").map((line) => /^ {2}(\S+(?: [a-z]+)?) {2,}/.exec(line)?.[1])
    for (const expected of ["init", "spawn", "session ls", "session kill", "session cleanup", "session restore", "status", "send", "project add"]) {
      expect(commands).toContain(expected)
    }
  })

  it("carry the reference documentation's examples for each session command", () => {
    expect(examplesOf(page(["ao", "session", "ls"]))).toEqual(
      expect.arrayContaining(["ao session ls", "ao session ls --project my-project"])
    )
    expect(examplesOf(page(["ao", "session", "kill"], 60))).toEqual(
      expect.arrayContaining([
        "ao session kill ao-int-1234",
        `ao status --json | jq -r '.[] | select(.name=="ao-int-1234") | .workspacePath'`,
        "for session in $(ao session ls --project my-project | grep my-project | awk '{print $1}'); do",
        "ao session kill $session",
        "done"
      ])
    )
    expect(examplesOf(page(["ao", "session", "cleanup"]))).toEqual(
      expect.arrayContaining([
        "ao session cleanup",
        "ao session cleanup --project my-project",
        "ao session cleanup --dry-run",
        'read -p "Proceed with cleanup? (y/n) " -n 1 -r',
        "if [[ $REPLY =~ ^[Yy]$ ]]; then"
      ])
    )
    expect(examplesOf(page(["ao", "session", "restore"]))).toEqual(
      expect.arrayContaining(["ao session restore ao-int-1234", "tmux attach -t ao-int-1234", "ao spawn my-project INT-1234"])
    )
    for (const path of paths) expect(examplesOf(page(path)).length, path.join(" ")).toBeGreaterThan(0)
  })
})

describe("wrapShell", () => {
  it("breaks a long shell line outside quotes, each broken line ending in ` \\`", () => {
    const line = "  for session in $(ao session ls --project my-project | grep my-project | awk '{print $1}'); do"
    const lines = wrapShell(line, 60)
    expect(lines.length).toBeGreaterThan(1)
    for (const each of lines) expect(each.length).toBeLessThanOrEqual(60)
    for (const each of lines.slice(0, -1)) expect(each).toMatch(/ \\$/)
    expect(lines.join("\n").replace(/ \\\n +/g, " ")).toBe(line)
    expect(lines.join("\n")).toContain("'{print $1}'")
  })

  it("wraps a comment as comments, and leaves a line that fits alone", () => {
    expect(wrapShell("  # one two three four five six", 20)).toEqual(["  # one two three", "  # four five six"])
    expect(wrapShell("  ao session ls", 60)).toEqual(["  ao session ls"])
  })
})

describe("helpWidth", () => {
  it("follows COLUMNS, then the terminal, else 80, within 60 to 100", () => {
    expect(helpWidth({ COLUMNS: "72" }, 120)).toBe(72)
    expect(helpWidth({ COLUMNS: "40" }, undefined)).toBe(60)
    expect(helpWidth({ COLUMNS: "250" }, undefined)).toBe(100)
    expect(helpWidth({}, 66)).toBe(66)
    expect(helpWidth({ COLUMNS: "wide" }, undefined)).toBe(80)
  })
})

describe("helpRequest", () => {
  it("finds the command whose help is asked for", () => {
    expect(helpRequest([], paths)).toEqual(["ao"])
    expect(helpRequest(["--help"], paths)).toEqual(["ao"])
    expect(helpRequest(["session", "ls", "--help"], paths)).toEqual(["ao", "session", "ls"])
    expect(helpRequest(["session", "kill", "-h", "x"], paths)).toEqual(["ao", "session", "kill"])
    expect(helpRequest(["session"], paths)).toEqual(["ao", "session"])
    expect(helpRequest(["project"], paths)).toEqual(["ao", "project"])
  })

  it("leaves everything else to the parser, and --help after -- to the command", () => {
    expect(helpRequest(["session", "ls"], paths)).toBeUndefined()
    expect(helpRequest(["send", "ao-1", "--", "--help"], paths)).toBeUndefined()
    expect(helpRequest(["session", "bogus"], paths)).toBeUndefined()
    expect(helpRequest(["session", "--json"], paths)).toBeUndefined()
  })
})

describe("usage line of a usage error", () => {
  it("is the help page's", () => {
    expect(usageLine(["session", "ls", "-p"])).toBe("Usage: ao session ls [options]\nMore: ao session ls --help")
  })
})

describe("--json failures", () => {
  it("keep the name of the session they are about", () => {
    expect(JSON.parse(failureJson(new SessionNotFound({ id: "ao-9" }), { session: "ao-9" }))).toEqual({
      name: "ao-9",
      error: { tag: "SessionNotFound", message: "Session not found", hint: "List sessions to find the correct name: ao session ls" }
    })
    // spawn learns the name as it runs: the error carries it.
    expect(JSON.parse(failureJson(new SessionAlreadyExists({ id: "ao-int-7" }), {}))).toMatchObject({ name: "ao-int-7" })
    expect(JSON.parse(failureJson(new UnknownProject({ projectId: "nope", known: ["ao"] }), {}))).not.toHaveProperty("name")
  })
})
