import { Session } from "@ao/domain"
import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { decodeSessionFile, encodeSessionFile } from "../src/session-file"
import { decodeSessionRecord } from "../src/session-record"

// The contract of the read path's decoder: on the same inputs it accepts what
// the Session schema accepts (the file decoder's, with excess properties
// refused), rejects what the schema rejects, and builds the same value.
const bySchema = Schema.decodeUnknownEither(Session, { onExcessProperty: "error" })

const TRICKY_STRINGS = [
  "",
  " ",
  "a",
  "ao-1",
  "ao-s7",
  "AO-1",
  "-ao",
  "a..b",
  "a/b",
  "a b",
  "#42",
  " 42 ",
  "##42",
  "INT-1234",
  "x".repeat(64),
  "x".repeat(65),
  "proj.name",
  "proj.",
  ".proj",
  "p_1",
  "2026-01-02T03:04:05.000Z",
  "2026-01-02T03:04:05+02:00",
  "2026-01-02",
  "2026-13-45T00:00:00Z",
  "not a date",
  "open",
  "merged",
  "closed",
  "idle",
  "killed",
  "working",
  "Working"
]

const text = fc.oneof(
  fc.constantFrom(...TRICKY_STRINGS),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,70}$/),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,70}$/)
)

/** Any JSON value a damaged or hand-edited file may hold in a field's place. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.constantFrom(null, true, false, 0, -1, 1, 1.5, 2 ** 53, 42),
  fc.array(fc.oneof(text, fc.integer()), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom("url", "number", "state", "address", "pid", "id", "x"), fc.oneof(text, fc.integer()), {
    maxKeys: 3
  })
)

const isoDate = fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2090-01-01T00:00:00Z"), noInvalidDate: true }).map((date) => date.toISOString())
/** Mostly `valid`, sometimes `other`: records near the edge of what is accepted. */
const mostly = <A, B>(valid: fc.Arbitrary<A>, other: fc.Arbitrary<B>) =>
  fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: other })
/** Names of 61 to 69 characters: both limits are 64. */
const aroundTheLengthLimit = fc.stringMatching(/^[a-z][a-z0-9]{60,68}$/)
const timestamp = mostly(isoDate, text)
const positive = mostly(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(0, -3, 2.5, 2 ** 53))

const pullRequest = fc.record({
  url: text,
  number: positive,
  state: mostly(fc.constantFrom("open", "closed", "merged"), text)
})

const taskSource = fc.record({
  issue: fc.option(fc.record({ id: text, title: fc.option(text), url: fc.option(text) })),
  template: fc.option(text),
  extra: fc.option(text),
  file: fc.option(text)
})

/** Well-formed records, most of them valid. */
const wellFormed = fc.record(
  {
    version: mostly(fc.constant(1), fc.constantFrom(2, "1")),
    id: mostly(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/), fc.oneof(text, aroundTheLengthLimit)),
    projectId: mostly(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,10}$/), fc.oneof(text, aroundTheLengthLimit)),
    issueId: fc.option(mostly(fc.stringMatching(/^ ?#?[A-Za-z0-9][A-Za-z0-9_-]{0,45} ?$/), text)),
    branch: text,
    workspacePath: text,
    runtimeHandle: text,
    runtimeServer: fc.record({ address: text, pid: positive }),
    agent: text,
    status: mostly(fc.constantFrom("spawning", "working", "idle", "active", "exited", "done", "killed"), text),
    statusReason: text,
    pr: fc.option(pullRequest),
    createdAt: timestamp,
    lastActivityAt: timestamp,
    restoredAt: fc.option(timestamp),
    snapshotRef: fc.option(text),
    task: fc.option(taskSource)
  },
  { requiredKeys: ["version", "id", "projectId", "issueId", "branch", "workspacePath", "runtimeHandle", "agent", "status", "statusReason", "pr", "createdAt", "lastActivityAt", "restoredAt", "snapshotRef"] }
)

const KEYS = ["version", "id", "projectId", "issueId", "branch", "workspacePath", "runtimeHandle", "runtimeServer", "agent", "status", "statusReason", "pr", "createdAt", "lastActivityAt", "restoredAt", "snapshotRef", "task", "extra", "__proto__"]

/** A well-formed record with up to two fields removed, replaced or added. */
const damaged = fc
  .tuple(
    wellFormed,
    fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.oneof(fc.constant("delete" as const), anyJson)), { minLength: 1, maxLength: 2 })
  )
  .map(([base, edits]) => {
    // Through JSON, as a file is read: `__proto__` becomes an own key.
    const record = JSON.parse(JSON.stringify(base)) as Record<string, unknown>
    for (const [key, edit] of edits) {
      if (edit === "delete") delete record[key]
      else Object.defineProperty(record, key, { value: edit, enumerable: true, configurable: true, writable: true })
    }
    return JSON.parse(JSON.stringify(record)) as unknown
  })

const nestedDamage = fc
  .tuple(wellFormed, fc.constantFrom("pr", "runtimeServer", "task"), fc.constantFrom("url", "number", "state", "address", "pid", "issue", "template", "extra", "file", "other"), anyJson)
  .map(([base, field, key, value]) => {
    const record = JSON.parse(JSON.stringify(base)) as Record<string, unknown>
    const nested = record[field]
    if (typeof nested === "object" && nested !== null) (nested as Record<string, unknown>)[key] = value
    return record as unknown
  })

const inputs = fc.oneof(wellFormed.map((record): unknown => record), damaged, nestedDamage, anyJson)

describe("the read path's session record decoder", () => {
  it("accepts exactly what the Session schema accepts, and builds the same Session", () => {
    let accepted = 0
    let rejected = 0
    fc.assert(
      fc.property(inputs, (input) => {
        const quick = decodeSessionRecord(input)
        const schema = bySchema(input)
        expect(quick !== undefined, JSON.stringify(input)).toBe(Either.isRight(schema))
        if (quick === undefined || Either.isLeft(schema)) {
          rejected++
          return
        }
        accepted++
        expect(quick).toStrictEqual(schema.right)
        expect(Schema.encodeSync(Session)(quick)).toStrictEqual(Schema.encodeSync(Session)(schema.right))
      }),
      { numRuns: 3000, seed: 16 }
    )
    // Both sides of the contract were exercised.
    expect(accepted).toBeGreaterThan(300)
    expect(rejected).toBeGreaterThan(300)
  })

  it("reads back every record the store writes", () => {
    const record = {
      version: 1,
      id: "app-int-7",
      projectId: "app",
      issueId: "INT-7",
      branch: "int-7-fix",
      workspacePath: "/w/app-int-7",
      runtimeHandle: "app-int-7",
      runtimeServer: { address: "/tmp/tmux-0/default", pid: 42 },
      agent: "claude",
      status: "working",
      statusReason: "spawned",
      pr: { url: "https://example.invalid/pr/3", number: 3, state: "open" },
      createdAt: "2026-01-02T03:04:05.000Z",
      lastActivityAt: "2026-01-02T03:05:05.000Z",
      restoredAt: null,
      snapshotRef: null,
      task: { issue: { id: "INT-7", title: "Fix", url: null }, template: "default", extra: null, file: null }
    }
    const session = decodeSessionRecord(record)
    expect(session).toBeInstanceOf(Session)
    expect(decodeSessionFile("app-int-7", "/s/app-int-7.json", encodeSessionFile(session as Session))).toStrictEqual({
      _tag: "Readable",
      session
    })
  })

  it("leaves what it does not take to the schema, whose message names the field", () => {
    const text = JSON.stringify({
      version: 1,
      id: "app-1",
      projectId: "app",
      issueId: null,
      branch: "b",
      workspacePath: "/w",
      runtimeHandle: "app-1",
      agent: "claude",
      status: "sleeping",
      statusReason: "",
      pr: null,
      createdAt: "2026-01-02T03:04:05.000Z",
      lastActivityAt: "2026-01-02T03:04:05.000Z",
      restoredAt: null,
      snapshotRef: null
    })
    const stored = decodeSessionFile("app-1", "/s/app-1.json", text)
    expect(stored._tag).toBe("Broken")
    expect(stored._tag === "Broken" ? stored.record.problem : "").toMatch(/field status: /)
  })
})
