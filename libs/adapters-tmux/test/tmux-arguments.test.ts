import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { commandSequence, directCommand, escapeArgument } from "../src/tmux-arguments"

describe("tmux arguments", () => {
  it("escapes only a final ';', which tmux would read as the end of a command", () => {
    expect(escapeArgument("fix it;")).toBe("fix it\\;")
    expect(escapeArgument("a\\;")).toBe("a\\\\;")
    expect(escapeArgument(";")).toBe("\\;")
    expect(escapeArgument("a; b")).toBe("a; b")
  })

  it("chains commands with separate ';' arguments", () => {
    expect(commandSequence([["has-session", "-t", "=a"], ["send-keys", "-l", "x;"]])).toEqual([
      "has-session",
      "-t",
      "=a",
      ";",
      "send-keys",
      "-l",
      "x\\;"
    ])
  })

  it("hands every command to env, so no shell reads a one-word command and a missing program exits 127", () => {
    expect(directCommand(["claude"])).toEqual(Either.right(["env", "--", "claude"]))
    expect(directCommand(["claude", "-p", "hi"])).toEqual(Either.right(["env", "--", "claude", "-p", "hi"]))
    expect(Either.isLeft(directCommand([]))).toBe(true)
    expect(Either.isLeft(directCommand(["A=b"]))).toBe(true)
  })
})
