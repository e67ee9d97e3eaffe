import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { listFromEnv, parseFlags } from "../src/flags"

const parse = (argv: ReadonlyArray<string>) => Effect.runSync(Effect.either(parseFlags(argv)))

describe("ao-api flags", () => {
  it("reads --host and --port, both optional", () => {
    expect(parse([])).toEqual(Either.right({ help: false, host: undefined, port: undefined }))
    expect(parse(["--host", "::1", "--port", "0"])).toEqual(Either.right({ help: false, host: "::1", port: 0 }))
    expect(parse(["--port=8080"])).toEqual(Either.right({ help: false, host: undefined, port: 8080 }))
    expect(parse(["--watch"])).toEqual(Either.right({ help: false, host: undefined, port: undefined, watch: true }))
  })

  it("refuses a port out of range, an unknown flag and stray arguments", () => {
    for (const argv of [["--port", "65536"], ["--port", "http"], ["--port", "-1"], ["--verbose"], ["serve"]]) {
      const parsed = parse(argv)
      expect(Either.isLeft(parsed) && parsed.left._tag).toBe("InvalidInput")
    }
  })

  it("splits comma-separated lists from the environment", () => {
    expect(listFromEnv(undefined)).toEqual([])
    expect(listFromEnv(" a.example, ,b.example ")).toEqual(["a.example", "b.example"])
  })
})
