import { DateTime, Option, Schema } from "effect"

/** A moment as JSON: ISO 8601 in UTC (`2026-01-01T00:00:00.000Z`). */
export const IsoTimestamp = Schema.String.annotations({
  description: "ISO 8601 timestamp (UTC)",
  jsonSchema: { type: "string", format: "date-time" }
})

export const isoTimestamp = (at: DateTime.DateTime): string => DateTime.formatIso(at)

/** Absent values are `null` in every view, never a missing key. */
export const orNull = <A>(option: Option.Option<A>): A | null => Option.getOrNull(option)
