import { describe, expect, it } from "vitest"
import { lastLines, outputSince, stripTerminalCodes } from "../src/rules/pane-output"

describe("stripTerminalCodes", () => {
  it("removes colours and cursor moves, keeping the text, tabs and line breaks", () => {
    expect(stripTerminalCodes("\u001b[1;31mred\u001b[0m and\tplain\n\u001b[2K\u001b[1Gnext")).toBe("red and\tplain\nnext")
  })

  it("removes operating-system commands (window title, clipboard) up to BEL or ST, and unterminated ones", () => {
    expect(stripTerminalCodes("a\u001b]0;title\u0007b\u001b]52;c;aGk=\u001b\\c")).toBe("abc")
    expect(stripTerminalCodes("kept\u001b]8;;http://x")).toBe("kept")
  })

  it("removes 8-bit CSI and OSC forms, lone escapes and other control characters", () => {
    expect(stripTerminalCodes("\u009b31mx\u009d2;t\u009cy\u001b(Bz\u001b7w\u0008\u0000\r")).toBe("xyzw")
  })

  it("leaves text with no codes as it is, including non-ASCII text", () => {
    expect(stripTerminalCodes("été ✓ 漢字 [brackets] ~tilde")).toBe("été ✓ 漢字 [brackets] ~tilde")
  })
})

describe("lastLines", () => {
  it("keeps the last lines of a capture", () => {
    expect(lastLines("a\nb\nc", 2)).toEqual(["b", "c"])
    expect(lastLines("a\nb", 10)).toEqual(["a", "b"])
    expect(lastLines("", 10)).toEqual([])
    expect(lastLines("a", 0)).toEqual([])
  })
})

describe("outputSince", () => {
  it("prints everything the first time", () => {
    expect(outputSince([], ["a", "b"])).toEqual({ lines: ["a", "b"], redrawn: false })
  })

  it("prints nothing when the pane did not change", () => {
    expect(outputSince(["a", "b"], ["a", "b"])).toEqual({ lines: [], redrawn: false })
  })

  it("prints only the lines past the old capture's tail, also when the pane scrolled", () => {
    expect(outputSince(["a", "b"], ["a", "b", "c"])).toEqual({ lines: ["c"], redrawn: false })
    expect(outputSince(["a", "b", "c"], ["c", "d", "e"])).toEqual({ lines: ["d", "e"], redrawn: false })
  })

  it("takes the longest overlap, so repeated lines are not printed twice", () => {
    expect(outputSince(["x", "ok", "ok"], ["ok", "ok", "done"])).toEqual({ lines: ["done"], redrawn: false })
  })

  it("prints the line the agent was still writing again in its new form", () => {
    expect(outputSince(["a", "> typ"], ["a", "> typed", "b"])).toEqual({ lines: ["> typed", "b"], redrawn: false })
    expect(outputSince(["> typ"], ["> typed"])).toEqual({ lines: ["> typed"], redrawn: false })
  })

  it("prints the whole new capture as a redraw when it shares nothing with the old one", () => {
    expect(outputSince(["a", "b"], ["x", "y"])).toEqual({ lines: ["x", "y"], redrawn: true })
  })

  it("a cleared pane is a change with nothing to print", () => {
    expect(outputSince(["a", "b"], [])).toEqual({ lines: [], redrawn: false })
  })
})
