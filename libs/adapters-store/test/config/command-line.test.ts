import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { splitCommandLine } from "../../src/config/command-line"

describe("splitCommandLine", () => {
  it.each([
    ["claude", ["claude"]],
    ["  codex   resume  --last ", ["codex", "resume", "--last"]],
    [`aider --model "gpt 4" --msg 'it''s'`, ["aider", "--model", "gpt 4", "--msg", "its"]],
    [`a "quote \\" inside" 'back\\slash'`, ["a", 'quote " inside', "back\\slash"]],
    ["a one\\ arg ''", ["a", "one arg", ""]],
    ["run $HOME ~ *.ts; rm -rf /", ["run", "$HOME", "~", "*.ts;", "rm", "-rf", "/"]]
  ])("%s", (line, argv) => {
    expect(splitCommandLine(line)).toEqual(Either.right(argv))
  })

  it.each([
    ["", "it is empty"],
    ["   ", "it is empty"],
    ["say 'hello", "unterminated ' quote"],
    ['say "hello', 'unterminated " quote'],
    ["trailing \\", "lone \\"]
  ])("refuses %j", (line, problem) => {
    const result = splitCommandLine(line)
    expect(Either.isLeft(result) && result.left).toContain(problem)
  })
})
