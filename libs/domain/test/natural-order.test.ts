import { describe, expect, it } from "@effect/vitest"
import { naturalOrder } from "../src/natural-order"

const sorted = (names: ReadonlyArray<string>) => [...names].sort(naturalOrder)

describe("naturalOrder", () => {
  it("counts numbers as people do", () => {
    expect(sorted(["mya-int-603", "mya-int-77", "mya-int-1000", "mya-int-8"])).toEqual([
      "mya-int-8",
      "mya-int-77",
      "mya-int-603",
      "mya-int-1000"
    ])
    expect(sorted(["ao-10", "ao-2", "ao-1", "ao-int-1"])).toEqual(["ao-1", "ao-2", "ao-10", "ao-int-1"])
  })

  it("orders text by code unit, a prefix first, and is total for equal numbers", () => {
    expect(sorted(["b", "a-1", "a", "a-1-x"])).toEqual(["a", "a-1", "a-1-x", "b"])
    expect(sorted(["ao-1", "ao-01", "ao-001"])).toEqual(["ao-001", "ao-01", "ao-1"])
    expect(naturalOrder("x-99999999999999999999", "x-100000000000000000000")).toBe(-1)
    expect(naturalOrder("same-1", "same-1")).toBe(0)
  })
})
