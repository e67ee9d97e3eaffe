import { describe, expect, it } from "@effect/vitest"
import { DateTime, Either, FastCheck as fc, Schema } from "effect"
import { LIST_SESSIONS_FORMAT, ListedSession, parseSessionListing, quickListedSession } from "../src/session-listing"

/** A list-sessions line as tmux prints it for LIST_SESSIONS_FORMAT. */
const line = (fields: ReadonlyArray<string>) => `${fields.join("\x1f")}\x1e\n`

describe("parseSessionListing", () => {
  it("asks tmux for every field in one format", () => {
    expect(LIST_SESSIONS_FORMAT.split("\x1f")).toHaveLength(11)
    expect(LIST_SESSIONS_FORMAT).toContain("#{pane_dead}")
    expect(LIST_SESSIONS_FORMAT).toContain("#{pane_dead_status}")
    expect(LIST_SESSIONS_FORMAT).toContain("#{pane_dead_signal}")
  })

  it("reads each session, taking the later of session and window activity, a dead pane's exit status when tmux has one, and keeps the path whole", () => {
    const stdout =
      line(["ao-1", "1700000000", "1700000005", "1700000100", "2", "0", "", "", "4242", "claude", "/work/a\x1fb\nc"]) +
      line(["ao-10", "1700000000", "1700000300", "1700000100", "0", "1", "127", "", "4242", "bash", "/work/ao-10"]) +
      line(["ao-11", "1700000000", "1700000300", "1700000100", "0", "1", "", "15", "4242", "bash", "/work/ao-11"])
    expect(parseSessionListing(stdout)).toEqual(
      Either.right({ unreapedServerPid: undefined, sessions: [
        {
          name: "ao-1",
          createdAt: DateTime.unsafeMake(1_700_000_000_000),
          lastActivityAt: DateTime.unsafeMake(1_700_000_100_000),
          attachedClients: 2,
          paneDead: false,
          paneCommand: "claude",
          path: "/work/a\x1fb\nc"
        },
        {
          name: "ao-10",
          createdAt: DateTime.unsafeMake(1_700_000_000_000),
          lastActivityAt: DateTime.unsafeMake(1_700_000_300_000),
          attachedClients: 0,
          paneDead: true,
          exitStatus: 127,
          paneCommand: "bash",
          path: "/work/ao-10"
        },
        {
          name: "ao-11",
          createdAt: DateTime.unsafeMake(1_700_000_000_000),
          lastActivityAt: DateTime.unsafeMake(1_700_000_300_000),
          attachedClients: 0,
          paneDead: true,
          paneCommand: "bash",
          path: "/work/ao-11"
        }
      ]})
    )
  })

  it("names the server's pid when a dead pane has neither exit status nor signal: tmux has not reaped its agent", () => {
    const stdout =
      line(["ao-1", "1700000000", "1700000005", "1700000100", "0", "0", "", "", "4242", "claude", "/work/ao-1"]) +
      line(["ao-2", "1700000000", "1700000005", "1700000100", "0", "1", "", "", "4242", "sh", "/work/ao-2"])
    const listing = parseSessionListing(stdout)
    expect(Either.map(listing, (read) => read.unreapedServerPid)).toEqual(Either.right(4242))
    expect(Either.map(listing, (read) => read.sessions.map((info) => [info.name, info.paneDead, info.exitStatus]))).toEqual(
      Either.right([["ao-1", false, undefined], ["ao-2", true, undefined]])
    )
  })

  it("an empty listing is no sessions", () => {
    expect(parseSessionListing("")).toEqual(Either.right({ sessions: [], unreapedServerPid: undefined }))
  })

  it("refuses a line that is not a session record, naming it", () => {
    for (const bad of ["some warning\n", line(["ao-1", "soon", "1", "1", "0", "0", "", "", "1", "sh", "/w"]), line(["ao-1", "1", "1", "1", "0", "1", "x", "", "1", "sh", "/w"]), line(["ao-1", "1", "1", "1", "0", "1", "", "", "x", "sh", "/w"]), line(["ao-1", "1", "1"])]) {
      const result = parseSessionListing(bad)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) expect(result.left.line.length).toBeGreaterThan(0)
    }
  })
})

describe("the quick decoder of a listing line", () => {
  const bySchema = Schema.decodeUnknownEither(ListedSession)
  const number = fc.oneof(
    fc.constantFrom("0", "1", "42", "1700000000", "-1", "-0", "1.5", "1e3", "0x10", " 7 ", "", " ", "NaN", "Infinity", "-Infinity", "9007199254740993", "abc"),
    fc.nat().map(String)
  )
  const field = fc.oneof(number, fc.string({ maxLength: 6 }))
  const wellFormed = fc.tuple(
    fc.oneof(fc.constantFrom("ao-1", ""), fc.string({ maxLength: 6 })),
    number,
    number,
    number,
    number,
    fc.oneof(fc.constantFrom("0", "1"), field),
    fc.oneof(fc.constant(""), number),
    fc.oneof(fc.constant(""), number),
    number,
    field,
    field
  )
  const anyLength = fc.array(field, { maxLength: 13 })

  it("accepts exactly the lines the ListedSession schema accepts, with the same fields", () => {
    let accepted = 0
    fc.assert(
      fc.property(fc.oneof({ weight: 4, arbitrary: wellFormed.map((fields): ReadonlyArray<string> => fields) }, { weight: 1, arbitrary: anyLength }), (fields) => {
        const quick = quickListedSession(fields)
        const schema = bySchema(fields)
        expect(quick !== undefined, JSON.stringify(fields)).toBe(Either.isRight(schema))
        if (quick !== undefined && Either.isRight(schema)) {
          accepted++
          expect(quick).toStrictEqual(schema.right)
        }
      }),
      { numRuns: 4000, seed: 16 }
    )
    expect(accepted).toBeGreaterThan(100)
  })
})
